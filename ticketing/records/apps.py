from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """What a ticket links to: activities, documents, expenses, projects, timesheets, quotes,
    sales orders, services, service contracts."""

    name = "ticketing.records"
    label = "records"
    verbose_name = _("Linked records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ticketing.records.related_lists import register_related_lists
        from ticketing.records.signal_handlers import register_signal_handlers

        register_related_lists()
        register_signal_handlers()
