from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for response")
    CLOSED = "closed", _("Closed")


class TicketPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TimelineKind(models.TextChoices):
    """What a row of a ticket's timeline tells; public replies come next."""

    CREATED = "created", _("Creation")
    STATUS = "status", _("Status change")
    FIELDS = "fields", _("Field change")
    LINK = "link", _("Linked")
    UNLINK = "unlink", _("Unlinked")
    EMAIL_IN = "email_in", _("Email received")
    EMAIL_OUT = "email_out", _("Email sent")
    # An agent's internal note: always internal, never in an email, an FAQ answer or the portal.
    NOTE = "note", _("Internal note")


class Visibility(models.TextChoices):
    """Who may read a timeline row: agents only, or the customer too (once a portal shows it)."""

    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class LastMessage(models.TextChoices):
    """Who wrote a ticket's latest message: its customer (a reply is waiting) or an agent."""

    CUSTOMER = "inbound", _("Customer")
    AGENT = "outbound", _("Agent")
