"""Where a ticket's admin pages live; one place, so views and buttons agree."""

from django.contrib.admin.utils import quote
from django.urls import reverse

from ticketing.tickets.models import Ticket

NAMESPACE = "ticketing_ticket"


def inspect_url(ticket: Ticket) -> str:
    return reverse(f"{NAMESPACE}:inspect", args=(quote(ticket.pk),))


def transition_url(ticket: Ticket, name: str) -> str:
    return reverse(f"{NAMESPACE}:transition", args=(quote(ticket.pk), name))


def field_history_url(ticket: Ticket) -> str:
    return reverse(f"{NAMESPACE}:field_history", args=(quote(ticket.pk),))


def ticket_breadcrumbs(base: list[dict], ticket: Ticket, page_title: str) -> list[dict]:
    return [
        *base,
        {"url": reverse(f"{NAMESPACE}:list"), "label": Ticket._meta.verbose_name_plural},
        {"url": inspect_url(ticket), "label": str(ticket)},
        {"url": "", "label": page_title},
    ]
