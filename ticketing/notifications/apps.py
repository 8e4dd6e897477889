from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Agents told in time: a new ticket, an assignment, a customer reply, a mention."""

    name = "ticketing.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ticketing.notifications.signal_handlers import register_signal_handlers

        register_signal_handlers()
