from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDirection(models.TextChoices):
    OUTBOUND = "out", _("Sent")
    INBOUND = "in", _("Received")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")
    RECEIVED = "received", _("Received")
    # Kept with its raw message, on no ticket: an auto-reply, a bounce, a loop of our own mail.
    IGNORED = "ignored", _("Ignored")
    # Kept with its raw message, on no ticket, for a manager to reprocess or delete.
    QUARANTINED = "quarantined", _("Quarantined")
