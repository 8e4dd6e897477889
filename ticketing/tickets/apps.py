from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """The ticket: model, category, lifecycle, timeline, services, related-list registry, admin."""

    name = "ticketing.tickets"
    label = "tickets"
    verbose_name = _("Tickets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ticketing.tickets import audit, signal_handlers, timeline
        from ticketing.tickets.permissions import register_permission_policies

        register_permission_policies()
        audit.register_models()
        timeline.connect_writers()
        signal_handlers.connect_handlers()
