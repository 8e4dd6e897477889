"""The ticket listing's columns."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn

from ticketing.common.views.columns import PersonColumn
from ticketing.tickets.choices import TicketStatus

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
    Column("priority", label=_("Priority"), accessor="get_priority_display", sort_key="priority"),
    Column("category", label=_("Category"), sort_key="category__name"),
    PersonColumn("assigned_to", label=_("Assigned to"), sort_key="assigned_to__username"),
    Column("related_to", label=_("Related to")),
    DateColumn("updated_at", label=_("Last update"), sort_key="updated_at"),
]
