from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What an agent is told of; each kind can be switched off by email per user."""

    NEW_TICKET = "new_ticket", _("New ticket")
    ASSIGNED = "assigned", _("Ticket assigned to me")
    CUSTOMER_REPLY = "customer_reply", _("Customer reply")
    MENTION = "mention", _("Mention in a note")
    # Reserved for the SLA issue: the kind exists so that preferences need no migration then.
    SLA_WARNING = "sla_warning", _("SLA warning")
