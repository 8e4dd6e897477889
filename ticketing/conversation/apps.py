from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationConfig(AppConfig):
    """The conversation on a ticket's page: its emails and internal notes, and the composer."""

    name = "ticketing.conversation"
    label = "conversation"
    verbose_name = _("Conversation")
    default_auto_field = "django.db.models.BigAutoField"
