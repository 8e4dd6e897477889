from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresenceConfig(AppConfig):
    """Collision warnings: who else has a ticket open, or is typing a reply on it."""

    name = "ticketing.presence"
    label = "presence"
    verbose_name = _("Presence")
    default_auto_field = "django.db.models.BigAutoField"
