"""My Hub: activities (S16, S19)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.common.versioned import Versioned
from ticketing.records.choices import ActivityStatus, ActivityType
from ticketing.tickets.models import ticket_link


class Activity(Versioned):
    activity_type = models.CharField(
        _("type"), max_length=10, choices=ActivityType.choices, default=ActivityType.TASK
    )
    subject = models.CharField(_("subject"), max_length=255)
    due_at = models.DateTimeField(_("start or due time"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    ticket = ticket_link(related_name="activities")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["ticket", "status", "due_at"])]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.subject
