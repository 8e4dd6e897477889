"""The ticket (S1–S12), its category and its timeline (S15, S18); how records point at it."""

import django_fsm as fsm
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import policy_registry

from ticketing.common.numbering import NumberSequenceField, assign_number
from ticketing.common.versioned import Versioned
from ticketing.tickets.choices import (
    LastMessage,
    TicketPriority,
    TicketStatus,
    TimelineKind,
    Visibility,
)
from ticketing.tickets.querysets import TicketQuerySet


class TicketCategory(Versioned):
    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are not offered on tickets.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")

    def __str__(self) -> str:
        if translation.get_language() == "fr" and self.name_fr:
            return self.name_fr
        return self.name


def refusal(message: str):
    """A transition condition that says, in `message`, why it refuses (django-fsm says nothing)."""

    def with_message(condition):
        condition.refusal_message = message
        return condition

    return with_message


@refusal(_("Enter a solution before closing the ticket."))
def has_solution(ticket: "Ticket") -> bool:
    return bool(ticket.solution and ticket.solution.strip())


def may_transition(ticket: "Ticket", user) -> bool:
    """The transitions' permission, as the ticket's permission policy grants it."""
    return policy_registry.get_by_type(type(ticket)).user_has_permission(user, "transition")


LAST_MESSAGE_FIELDS = frozenset({"last_message_direction", "last_message_at"})


class Ticket(fsm.FSMModelMixin, Versioned):
    number_sequence = "ticket"

    number = models.CharField(_("ticket no."), max_length=32, unique=True, editable=False)
    # The number as an integer: listings sort and search on it ("TT-1000000" > "TT-999999").
    sequence = NumberSequenceField(_("ticket no. (numeric)"))
    title = models.CharField(_("title"), max_length=255)
    status = fsm.FSMField(
        _("status"),
        max_length=20,
        choices=TicketStatus.choices,
        default=TicketStatus.OPEN,
        protected=True,
        db_index=True,
    )
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=TicketPriority.choices,
        default=TicketPriority.NORMAL,
        db_index=True,
    )
    category = models.ForeignKey(
        TicketCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    product = models.ForeignKey(
        "parties.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    account = models.ForeignKey(
        "parties.Account",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    contact = models.ForeignKey(
        "parties.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    vendor = models.ForeignKey(
        "parties.Vendor",
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    asset = models.ForeignKey(
        "parties.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    description = models.TextField(_("description"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    # S14: the FAQ page this ticket became; converting again updates it instead of duplicating.
    faq_page = models.ForeignKey(
        "faq.FAQPage",
        verbose_name=_("FAQ page"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Who wrote the latest message and when, kept by MessageAdded (signal_handlers.py): the
    # home's "waiting on me" and the listing's last-message column read them from the row.
    last_message_direction = models.CharField(
        _("last message from"),
        max_length=10,
        choices=LastMessage.choices,
        blank=True,
        editable=False,
    )
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [("transition_ticket", _("Can change the status of a ticket"))]
        # The listing filters by status and sorts by number: one index serves both.
        indexes = [
            models.Index(fields=["status", "sequence"], name="ticket_status_sequence_idx"),
            # The home's queues: mine / unassigned by status, and those a customer answered.
            models.Index(
                fields=["assigned_to", "status", "last_message_direction"],
                name="ticket_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self._state.adding:
                if not self.number:
                    assign_number(self)
            else:
                # S3: the number is never written again once the ticket exists.
                fields = kwargs.get("update_fields") or self._writable_fields()
                kwargs["update_fields"] = {*fields, "version", "updated_at"} - {
                    "number",
                    "sequence",
                }
            super().save(*args, **kwargs)

    @classmethod
    def number_prefix(cls) -> str:
        return settings.GUICHET_TICKET_NUMBER_PREFIX

    @classmethod
    def _writable_fields(cls) -> set[str]:
        # The last message's fields are written by their handler alone (an UPDATE of the row):
        # an edit form loaded before a customer's reply must not save the older values back.
        return {
            f.name
            for f in cls._meta.concrete_fields
            if not f.primary_key and f.name not in LAST_MESSAGE_FIELDS
        }

    @property
    def related_to(self):
        """The party the complaint concerns (S4), most specific first."""
        return self.contact or self.account or self.vendor or self.asset

    # Who changes the status and why, for the timeline row the next save writes: set by
    # apply_transition before it calls a transition; a direct call leaves them empty.
    transition_actor = None
    transition_comment = ""

    # Transitions only change fields; the timeline writes the row when the ticket is saved.
    # Their words and icons in the admin (`custom`) are read by ticketing.tickets.lifecycle.
    @fsm.transition(
        field=status,
        source=TicketStatus.OPEN,
        target=TicketStatus.IN_PROGRESS,
        permission=may_transition,
        custom={"label": _("Start"), "icon": "resubmit", "order": 1},
    )
    def start(self) -> None:
        pass

    @fsm.transition(
        field=status,
        source=TicketStatus.IN_PROGRESS,
        target=TicketStatus.WAITING,
        permission=may_transition,
        custom={"label": _("Wait for response"), "icon": "time", "order": 2},
    )
    def wait_for_response(self) -> None:
        pass

    @fsm.transition(
        field=status,
        source=TicketStatus.WAITING,
        target=TicketStatus.IN_PROGRESS,
        permission=may_transition,
        custom={"label": _("Resume"), "icon": "resubmit", "order": 3},
    )
    def resume(self) -> None:
        pass

    @fsm.transition(
        field=status,
        source=[TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING],
        target=TicketStatus.CLOSED,
        conditions=[has_solution],
        permission=may_transition,
        custom={"label": _("Close"), "icon": "success", "order": 4},
    )
    def close(self) -> None:
        self.closed_at = timezone.now()

    @fsm.transition(
        field=status,
        source=TicketStatus.CLOSED,
        target=TicketStatus.OPEN,
        permission=may_transition,
        custom={"label": _("Reopen"), "icon": "undo", "order": 5},
    )
    def reopen(self) -> None:
        self.closed_at = None


class TimelineEntry(models.Model):
    """One row of a ticket's story (S15, S18): its creation, status and field changes, links,
    emails. Written by `ticketing.tickets.timeline`, read on the ticket's page."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TimelineKind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # What happened, by kind: a status change's transition, from, to and comment; the fields
    # that changed, old and new; the record linked; the email's subject and sender.
    data = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="timeline_ticket_time_idx")]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def ticket_link(related_name: str) -> models.ForeignKey:
    """A child record's optional ticket (S16, S21, S24, S26): it survives the ticket, unlinked."""
    return models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def ticket_links(related_name: str) -> models.ManyToManyField:
    """A record's tickets, chosen or created from them (S17, S20, S22, S23, S25, S27).

    Declared on the record, not on the ticket: the ticket knows nothing of the record types.
    """
    return models.ManyToManyField(
        Ticket, verbose_name=_("tickets"), blank=True, related_name=related_name
    )
