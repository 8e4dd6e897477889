"""Who writes a ticket's timeline (S15, S18), whatever road the change took.

- A status change is noted when its transition method runs (django-fsm's `post_transition`) and
  written when the ticket is saved, with its `TicketTransitioned` event: `apply_transition`, and
  a direct `ticket.start(); ticket.save()` alike. It is written there only: Wagtail's log has no
  status entry, and the field changes below leave the status out.
- Field changes: each update django-auditlog records (`post_log`), which keeps the full diff.
- Links and unlinks: `record_link_change`, called by the linking service and link auditing.
- The creation: the `TicketOpened` event.

Emails are written by the mail app, which knows them, through `add_entry`.
"""

from auditlog.models import LogEntry
from auditlog.signals import post_log
from django.db.models import Model
from django.db.models.signals import post_save
from django_fsm.signals import post_transition

from ticketing.common.people import display_name
from ticketing.tickets.choices import TimelineKind, Visibility
from ticketing.tickets.events import TicketOpened, TicketTransitioned, publish, ticket_changing
from ticketing.tickets.models import Ticket, TimelineEntry

# What a customer may read once a portal shows the ticket's story; the rest stays internal.
PUBLIC_KINDS = {
    TimelineKind.CREATED,
    TimelineKind.STATUS,
    TimelineKind.EMAIL_IN,
    TimelineKind.EMAIL_OUT,
}
# The status row tells these already; the number never changes once given.
NOT_FIELD_CHANGES = {"status", "closed_at", "number"}


def add_entry(
    ticket_id: int, kind: str, actor_id: int | None, data: dict, visibility: str | None = None
) -> TimelineEntry:
    """Write one row of the ticket's timeline; its visibility follows its kind unless given."""
    if visibility is None:
        visibility = Visibility.PUBLIC if kind in PUBLIC_KINDS else Visibility.INTERNAL
    return TimelineEntry.objects.create(
        ticket_id=ticket_id, kind=kind, actor_id=actor_id, data=data, visibility=visibility
    )


def note_transition(sender, instance: Ticket, name: str, source, target, **kwargs) -> None:
    actor = instance.transition_actor
    instance.__dict__.setdefault("_unsaved_transitions", []).append(
        {
            "transition": name,
            "from": source,
            "to": target,
            "comment": (instance.transition_comment or "").strip(),
            "actor_id": actor.pk if actor is not None and actor.is_authenticated else None,
        }
    )
    # Said for this transition only: a later direct call is nobody's.
    instance.transition_actor, instance.transition_comment = None, ""


def write_status_changes(
    sender, instance: Ticket, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or (update_fields is not None and "status" not in update_fields):
        return
    for change in instance.__dict__.pop("_unsaved_transitions", []):
        actor_id = change.pop("actor_id")
        add_entry(instance.pk, TimelineKind.STATUS, actor_id, change)
        # Incident contracts recount in this transaction (records listens: ticket_changing).
        publish(
            TicketTransitioned(
                ticket_id=instance.pk,
                actor_id=actor_id,
                transition=change["transition"],
                from_status=change["from"],
                to_status=change["to"],
                comment=change["comment"],
            )
        )


def write_field_changes(
    sender, instance: Ticket, action, log_entry=None, instance_old=None, changes=None, **kwargs
) -> None:
    # auditlog logs an update before the ticket row is written: both commit or neither does.
    if log_entry is None or action != LogEntry.Action.UPDATE:
        return
    names = [name for name in changes or {} if name not in NOT_FIELD_CHANGES]
    if names:
        rows = [field_change(instance_old, instance, name) for name in names]
        add_entry(instance.pk, TimelineKind.FIELDS, log_entry.actor_id, {"changes": rows})


def field_change(old: Ticket | None, new: Ticket, name: str) -> dict:
    """One field's old and new values as stored, with the names of the objects it points to:
    the timeline reads them without a query per row."""
    field = Ticket._meta.get_field(name)
    change = {
        "field": name,
        "old": field.value_from_object(old) if old is not None else None,
        "new": field.value_from_object(new),
    }
    if field.is_relation:
        change["old_label"] = object_label(getattr(old, name, None))
        change["new_label"] = object_label(getattr(new, name))
    return change


def object_label(value) -> str:
    if value is None:
        return ""
    return display_name(value) if hasattr(value, "get_username") else str(value)


def record_link_change(
    ticket: Ticket,
    list_key: str,
    record: Model,
    linked: bool,
    actor_id: int | None,
    deleted: bool = False,
) -> TimelineEntry:
    """A record of list `list_key` joined the ticket or left it (`deleted`: with its deletion)."""
    data = {"list": list_key, "record_id": record.pk, "record": str(record)}
    if deleted:
        data["deleted"] = True
    kind = TimelineKind.LINK if linked else TimelineKind.UNLINK
    return add_entry(ticket.pk, kind, actor_id, data)


def write_creation(sender, event: TicketOpened, **kwargs) -> None:
    add_entry(event.ticket_id, TimelineKind.CREATED, event.actor_id, {"channel": event.channel})


def connect_writers() -> None:
    post_transition.connect(note_transition, sender=Ticket, dispatch_uid="timeline-transition")
    post_save.connect(write_status_changes, sender=Ticket, dispatch_uid="timeline-status")
    post_log.connect(write_field_changes, sender=Ticket, dispatch_uid="timeline-fields")
    ticket_changing.connect(write_creation, sender=TicketOpened, dispatch_uid="timeline-created")
