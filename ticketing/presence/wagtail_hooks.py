from django.urls import path
from wagtail import hooks

from ticketing.presence.services import others_on_ticket, poll_seconds, record_presence
from ticketing.presence.views import TicketPresenceView, presence_line
from ticketing.tickets.extensions import TICKET_DETAIL_CONTEXT, TICKET_URLS
from ticketing.tickets.views.urls import ticket_url


@hooks.register(TICKET_URLS)
def presence_urls() -> list:
    return [path("presence/<int:pk>/", TicketPresenceView.as_view(), name="presence")]


@hooks.register(TICKET_DETAIL_CONTEXT)
def presence_context(ticket, user) -> dict:
    # Opening the page is the first "I am here"; the page's script says it again while open.
    record_presence(ticket, user, typing=False)
    return {
        "presence_url": ticket_url("presence", ticket.pk),
        "presence_poll_seconds": poll_seconds(),
        "presence_lines": [presence_line(p) for p in others_on_ticket(ticket, user)],
    }
