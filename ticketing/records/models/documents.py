"""Documents of a ticket (S17): Wagtail documents, kept in the private "Ticket attachments"."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string

from ticketing.tickets.models import Ticket


class TicketDocument(models.Model):
    """A document linked to a ticket: uploaded there, chosen from the library, or mailed in."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="document_links", verbose_name=_("ticket")
    )
    document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.CASCADE,
        related_name="ticket_links",
        verbose_name=_("document"),
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "document"], name="ticket_document_once")
        ]
        verbose_name = _("ticket document")
        verbose_name_plural = _("ticket documents")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.document_id}"
