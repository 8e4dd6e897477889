from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ticketing.models import Ticket
from ticketing.permission_policies import register_document_permission_policy
from ticketing.services.email_review import EMAIL_ACCEPTED_LOG_ACTION
from ticketing.services.faq import FAQ_CREATED_FROM_TICKET
from ticketing.transitions import STATUS_CHANGE_LOG_ACTION
from ticketing.views.action_menu import transition_menu_items
from ticketing.views.bulk_action_guard import guard_every_bulk_action
from ticketing.views.bulk_actions import AssignTicketsBulkAction, TransitionTicketsBulkAction
from ticketing.views.documents import refuse_restricted_document
from ticketing.views.history import StatusChangeLogFormatter
from ticketing.views.records import MENU_GROUPS

# First, before anything asks the registry for the document policy (Wagtail's advice).
register_document_permission_policy()

for _group in MENU_GROUPS:
    register_snippet(_group)

# Wagtail asks each hook for one item, so each transition gets a hook of its own.
for _item in transition_menu_items():
    hooks.register(
        "register_snippet_action_menu_item",
        lambda model, item=_item: item if model is Ticket else None,
    )

hooks.register("register_bulk_action", AssignTicketsBulkAction)
hooks.register("register_bulk_action", TransitionTicketsBulkAction)
# Every model's bulk actions, Wagtail's own included, refuse users without the permission.
guard_every_bulk_action()

# Before Wagtail's own check (order 0), which answers with its unstyled login form.
hooks.register("before_serve_document", refuse_restricted_document, order=-1)


@hooks.register("register_log_actions")
def register_status_change_log_action(actions):
    actions.register_action(STATUS_CHANGE_LOG_ACTION)(StatusChangeLogFormatter)
    # On the FAQ page's own history: no ticket data, only where the answer came from.
    actions.register_action(
        FAQ_CREATED_FROM_TICKET, _("From a ticket"), _("Written from a solved support ticket")
    )
    actions.register_action(
        EMAIL_ACCEPTED_LOG_ACTION, _("Email accepted"), _("Accepted a held email from its sender")
    )
