from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """A solved ticket becomes an FAQ answer (S14)."""

    name = "ticketing.knowledge"
    label = "knowledge"
    verbose_name = _("Convert to FAQ")
    default_auto_field = "django.db.models.BigAutoField"
