from django.db import models
from django.utils.translation import gettext_lazy as _


def ticket_link(related_name: str) -> models.ForeignKey:
    """A child record's optional ticket: it survives the ticket's deletion, unlinked."""
    return models.ForeignKey(
        "ticketing.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )
