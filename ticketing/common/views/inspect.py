"""A record's detail page, with the tickets it is linked to."""

from django.db import models
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import InspectView

from ticketing.common.formats import format_decimal


class RecordInspectView(InspectView):
    """A record's detail page, with the tickets it is linked to (the reverse of the lists)."""

    template_name = "ticketing/record_inspect.html"
    tickets_shown = 10

    def get_field_display_value(self, field_name, field):
        # Wagtail shows 1234.50 whatever the language; people read 1 234,50 in French.
        if isinstance(field, models.DecimalField):
            return format_decimal(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        tickets = getattr(self.object, "tickets", None)
        if tickets is None:
            return context
        user = self.request.user
        # The list is for those who may see tickets at all, and holds the ones they may see.
        if policy_registry.get_by_type(tickets.model).user_has_permission(user, "view"):
            visible = tickets.visible_to(user)
            context["tickets_count"] = visible.count()
            context["tickets"] = visible.order_by("-sequence")[: self.tickets_shown]
        return context
