"""The ticket listing's columns: badges where agents scan (status, priority, a new reply)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn

from ticketing.common.views.columns import PersonColumn
from ticketing.tickets.choices import LastMessage, TicketPriority, TicketStatus


def awaits_an_answer(ticket) -> bool:
    """A customer wrote last and the ticket is not closed: a reply nobody has answered yet."""
    return ticket.last_message_direction == LastMessage.CUSTOMER and (
        ticket.status != TicketStatus.CLOSED
    )


class PriorityColumn(Column):
    """Urgent as a filled tag, high as an outlined one, the others as plain words."""

    cell_template_name = "ticketing/ticket/listing/priority_cell.html"

    def get_cell_context_data(self, instance, parent_context) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        context["label"] = TicketPriority(instance.priority).label
        return context


class LastMessageColumn(Column):
    """Who wrote last, customer or agent, and when; a customer's unanswered reply is marked."""

    cell_template_name = "ticketing/ticket/listing/last_message_cell.html"

    def get_cell_context_data(self, instance, parent_context) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        direction = instance.last_message_direction
        context["label"] = LastMessage(direction).label if direction else ""
        context["at"] = instance.last_message_at
        context["unread"] = awaits_an_answer(instance)
        return context


# The first two are plain field names so that Wagtail links the number to the ticket and makes
# both sortable; the others show labels, not stored values.
TICKET_LIST_DISPLAY = [
    "number",
    "title",
    StatusTagColumn(
        "status",
        label=_("Status"),
        accessor="get_status_display",
        sort_key="status",
        primary=lambda ticket: ticket.status != TicketStatus.CLOSED,
    ),
    PriorityColumn("priority", label=_("Priority"), sort_key="priority"),
    Column("category", label=_("Category"), sort_key="category__name"),
    PersonColumn("assigned_to", label=_("Assigned to"), sort_key="assigned_to__username"),
    Column("related_to", label=_("Related to")),
    LastMessageColumn(
        "last_message_direction", label=_("Last message from"), sort_key="last_message_at"
    ),
    DateColumn("updated_at", label=_("Last update"), sort_key="updated_at"),
]
