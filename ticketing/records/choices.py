from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityType(models.TextChoices):
    TASK = "task", _("Task")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("To do")
    CLOSED = "closed", _("Done")


class TrackingUnit(models.TextChoices):
    HOURS = "hours", _("Hours")
    DAYS = "days", _("Days")
    INCIDENTS = "incidents", _("Incidents")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SalesOrderStatus(models.TextChoices):
    # With a context: in French an order is feminine, and "Created" is also a date column.
    CREATED = "created", pgettext_lazy("sales order status", "Created")
    APPROVED = "approved", pgettext_lazy("sales order status", "Approved")
    DELIVERED = "delivered", pgettext_lazy("sales order status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("sales order status", "Cancelled")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
