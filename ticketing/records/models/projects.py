"""Projects (S25) and timesheets (S26)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ticketing.common.formats import format_decimal
from ticketing.common.versioned import Versioned
from ticketing.records.choices import ProjectStatus
from ticketing.tickets.models import ticket_link, ticket_links


class Project(Versioned):
    name = models.CharField(_("name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    account = models.ForeignKey(
        "parties.Account",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )

    tickets = ticket_links(related_name="projects")

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name


class Timesheet(Versioned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timesheets",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    ticket = ticket_link(related_name="timesheets")
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timesheets",
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")

    def __str__(self) -> str:
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')} – {format_decimal(self.hours)} h"
