"""A record's detail page, with the tickets it is linked to."""

from django.db import models
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
        if tickets is not None and self.request.user.has_perm("tickets.view_ticket"):
            context["tickets_count"] = tickets.count()
            context["tickets"] = tickets.order_by("-sequence")[: self.tickets_shown]
        return context
