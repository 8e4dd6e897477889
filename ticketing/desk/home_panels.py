"""The admin home of support staff: their queues, and the team's backlog for managers.

Marketers (no ticket permission) keep Wagtail's page-oriented home. Every panel costs the same
queries whatever the number of tickets: a count and the first few rows per queue, one grouped
count per backlog table (tests/test_home.py, bench/home.py).
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component

from ticketing.common.people import display_name
from ticketing.common.views.filters import UNASSIGNED
from ticketing.desk.permissions import is_support_staff, sees_team_backlog
from ticketing.desk.queues import (
    AGENT_QUEUES,
    OPEN_STATUSES,
    UNASSIGNED_QUEUE,
    Queue,
    listing_url_for,
)
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.urls import inspect_url

FIRST_FEW = 5


class QueuePanel(Component):
    template_name = "desk/home/queue_panel.html"

    def __init__(self, queue: Queue, order: int) -> None:
        self.queue = queue
        self.name = f"queue_{queue.name}"
        self.order = order

    def get_context_data(self, parent_context) -> dict:
        tickets = self.queue.tickets(parent_context["request"].user)
        first = tickets.select_related("contact", "account", "assigned_to").defer("description")
        rows = [
            {"ticket": ticket, "url": inspect_url(ticket)}
            for ticket in first.order_by(*self.queue.ordering)[:FIRST_FEW]
        ]
        return {
            "queue": self.queue,
            "count": tickets.count(),
            "rows": rows,
            "listing_url": self.queue.listing_url(),
        }


class TeamBacklogPanel(Component):
    """Open tickets by status and by agent: one grouped count, from the queue index."""

    name = "team_backlog"
    template_name = "desk/home/team_backlog.html"
    order = 60

    def get_context_data(self, parent_context) -> dict:
        open_tickets = Ticket.objects.visible_to(parent_context["request"].user).filter(
            status__in=OPEN_STATUSES
        )
        # One pass over the queue index gives both tables: (assignee, status) -> count.
        pairs = open_tickets.order_by().values_list("assigned_to", "status")
        by_status, by_agent = Counter(), Counter()
        for assignee, status, count in pairs.annotate(count=Count("pk")):
            by_status[status] += count
            by_agent[assignee] += count
        people = get_user_model().objects.in_bulk([pk for pk in by_agent if pk is not None])
        agents = sorted(
            (
                {
                    "name": display_name(person),
                    "count": by_agent[pk],
                    "url": listing_url_for(assignee=str(pk), status=OPEN_STATUSES),
                }
                for pk, person in people.items()
            ),
            key=lambda row: (-row["count"], row["name"]),
        )
        if None in by_agent:
            agents.append(
                {
                    "name": str(UNASSIGNED_QUEUE.heading),
                    "count": by_agent[None],
                    "url": listing_url_for(assignee=UNASSIGNED, status=OPEN_STATUSES),
                }
            )
        statuses = [
            {
                "label": TicketStatus(status).label,
                "count": by_status.get(status, 0),
                "url": listing_url_for(status=status),
            }
            for status in OPEN_STATUSES
        ]
        return {"statuses": statuses, "agents": agents, "total": sum(by_status.values())}


def add_queue_panels(request, panels: list) -> None:
    """construct_homepage_panels: the queues first, above Wagtail's own panels."""
    if not is_support_staff(request.user):
        return
    queues = [QueuePanel(queue, order=10 + index) for index, queue in enumerate(AGENT_QUEUES)]
    panels[:0] = queues
    if sees_team_backlog(request.user):
        panels.append(TeamBacklogPanel())


class OpenTicketsSummaryItem(SummaryItem):
    """The summary line of support staff: the team's open tickets, not "2 Pages / 0 Documents"."""

    order = 100
    template_name = "desk/home/open_tickets_summary.html"

    def get_context_data(self, parent_context) -> dict:
        tickets = Ticket.objects.visible_to(self.request.user).filter(status__in=OPEN_STATUSES)
        return {
            "count": tickets.count(),
            "url": listing_url_for(status=OPEN_STATUSES),
        }


def replace_page_summary(request, items: list) -> None:
    """construct_homepage_summary_items, run after Wagtail's (order): support staff's summary
    is the open tickets; marketers keep Wagtail's pages and documents."""
    if is_support_staff(request.user):
        items[:] = [OpenTicketsSummaryItem(request)]
