"""The ticket edit form's "Status" side panel: the ticket's status where Wagtail says "Live"."""

from django.utils.translation import gettext as _
from wagtail.snippets.side_panels import SnippetStatusSidePanel

from ticketing.common.people import display_name
from ticketing.tickets.choices import TimelineKind

# Wagtail's draft/live/moderation block: tickets have none of those states, only their own.
PUBLISHING_STATUS_TEMPLATE = "wagtailadmin/shared/side_panels/includes/status/workflow.html"
TICKET_STATUS_TEMPLATE = "ticketing/ticket/side_panels/status.html"


class TicketStatusSidePanel(SnippetStatusSidePanel):
    def get_status_templates(self, context) -> list[str]:
        return [
            TICKET_STATUS_TEMPLATE if template == PUBLISHING_STATUS_TEMPLATE else template
            for template in super().get_status_templates(context)
        ]

    def get_context_data(self, parent_context) -> dict:
        context = super().get_context_data(parent_context)
        changes = self.object.timeline.filter(kind=TimelineKind.STATUS).select_related("actor")
        change = changes.order_by("-created_at", "-pk").first()
        context["last_status_change"] = change
        if change:
            context["status_changed_by"] = display_name(change.actor) or _("System")
        return context
