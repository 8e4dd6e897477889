from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Ticketing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ticketing import audit, signal_handlers

        audit.register_models()
        signal_handlers.register_signal_handlers()
