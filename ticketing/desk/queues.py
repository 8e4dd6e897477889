"""The agent's queues, each a query the home counts and the listing URL that shows it.

Each count is served by an index of the ticket table: `ticket_queue_idx` (assignee, status,
last message direction) for the first three, `updated_at`'s for the last (bench/home.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ticketing.common.views.filters import MINE, UNASSIGNED
from ticketing.tickets.choices import LastMessage, TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.filters import updated_since
from ticketing.tickets.views.urls import ticket_url

# Not closed: listed, not excluded, so that the database reads the three values off an index.
OPEN_STATUSES = [TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING]


@dataclass(frozen=True)
class Queue:
    name: str
    heading: str
    # (visible tickets, user) -> the queue's tickets
    select: Callable[[QuerySet, object], QuerySet]
    # The listing's filters that show the same tickets.
    listing_query: dict
    # How the first few are ordered on the home.
    ordering: tuple[str, ...]

    def tickets(self, user) -> QuerySet:
        return self.select(Ticket.objects.visible_to(user), user)

    def listing_url(self) -> str:
        return f"{ticket_url('list')}?{urlencode(self.listing_query, doseq=True)}"


def listing_url_for(**query) -> str:
    return f"{ticket_url('list')}?{urlencode(query, doseq=True)}"


MY_OPEN = Queue(
    "my_open",
    _("My open tickets"),
    lambda tickets, user: tickets.filter(assigned_to=user, status__in=OPEN_STATUSES),
    {"assignee": MINE, "status": OPEN_STATUSES},
    ("-updated_at", "-pk"),
)
UNASSIGNED_QUEUE = Queue(
    "unassigned",
    _("Unassigned"),
    lambda tickets, user: tickets.filter(assigned_to__isnull=True, status__in=OPEN_STATUSES),
    {"assignee": UNASSIGNED, "status": OPEN_STATUSES},
    ("-sequence",),
)
# A customer wrote after the last agent's message, on a ticket of mine that is not closed.
WAITING_ON_ME = Queue(
    "waiting_on_me",
    _("Waiting on me"),
    lambda tickets, user: tickets.filter(
        assigned_to=user,
        status__in=OPEN_STATUSES,
        last_message_direction=LastMessage.CUSTOMER,
    ),
    {"assignee": MINE, "status": OPEN_STATUSES, "last_message": LastMessage.CUSTOMER},
    ("last_message_at", "pk"),
)
RECENTLY_UPDATED = Queue(
    "recently_updated",
    _("Updated in the last 24 hours"),
    lambda tickets, user: tickets.filter(updated_at__gte=updated_since("day")),
    {"updated": "day", "ordering": "-updated_at"},
    ("-updated_at", "-pk"),
)
AGENT_QUEUES = [MY_OPEN, WAITING_ON_ME, UNASSIGNED_QUEUE, RECENTLY_UPDATED]
