from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.tickets.models import Ticket


class TicketPresence(models.Model):
    """An agent with a ticket's page open, as its page last told (every few seconds).

    A row whose `last_seen` is older than the expiry (services.PRESENCE_EXPIRY) is gone: the
    agent closed the page, or their browser went away without saying so.
    """

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("since"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    typing = models.BooleanField(_("typing"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="ticket_presence_once")
        ]
        indexes = [models.Index(fields=["ticket", "last_seen"], name="ticket_presence_seen_idx")]
        verbose_name = _("presence on a ticket")
        verbose_name_plural = _("presences on tickets")

    def __str__(self) -> str:
        return f"{self.user_id} on {self.ticket_id}"
