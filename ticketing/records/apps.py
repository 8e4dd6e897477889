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
        from wagtail.permissions import register_permission_policy

        from ticketing.records import models
        from ticketing.records.related_lists import register_related_lists
        from ticketing.records.signal_handlers import register_signal_handlers

        for model in (
            models.Activity,
            models.Expense,
            models.Project,
            models.Quote,
            models.SalesOrder,
            models.Service,
            models.ServiceContract,
            models.Timesheet,
        ):
            register_permission_policy(model)
        register_related_lists()
        register_signal_handlers()
