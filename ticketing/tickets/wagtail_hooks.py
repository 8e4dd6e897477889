from wagtail import hooks

from ticketing.tickets.models import Ticket
from ticketing.tickets.views.action_menu import transition_menu_items
from ticketing.tickets.views.bulk_actions import (
    AssignTicketsBulkAction,
    TransitionTicketsBulkAction,
)

# Wagtail asks each hook for one item, so each transition gets a hook of its own.
for _item in transition_menu_items():
    hooks.register(
        "register_snippet_action_menu_item",
        lambda model, item=_item: item if model is Ticket else None,
    )

hooks.register("register_bulk_action", AssignTicketsBulkAction)
hooks.register("register_bulk_action", TransitionTicketsBulkAction)
