"""Where a ticket's admin pages live; one place, so views and buttons agree."""

from django.contrib.admin.utils import quote
from django.urls import reverse

from ticketing.tickets.models import Ticket

NAMESPACE = "ticketing_ticket"  # the ticket viewset's url_namespace


def ticket_url(view: str, *args) -> str:
    """A view of the ticket viewset, Wagtail's or one another app adds (extensions.py)."""
    return reverse(Ticket.snippet_viewset.get_url_name(view), args=args)


def inspect_url(ticket: Ticket) -> str:
    return ticket_url("inspect", quote(ticket.pk))


def transition_url(ticket: Ticket, name: str) -> str:
    return ticket_url("transition", quote(ticket.pk), name)


def ticket_breadcrumbs(base: list[dict], ticket: Ticket, page_title: str) -> list[dict]:
    return [
        *base,
        {"url": ticket_url("list"), "label": Ticket._meta.verbose_name_plural},
        {"url": inspect_url(ticket), "label": str(ticket)},
        {"url": "", "label": page_title},
    ]
