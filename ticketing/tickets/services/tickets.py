"""Opening, editing and assigning a ticket, and putting a message on it: the one road that the
admin, bulk actions, inbound mail, the demo seed and the bench take (later the API, the portal
and automation rules too).

Each function writes in one transaction and publishes one event per change (`events.py`):
receivers of `ticket_changed` hear it once the transaction commits, never for a rolled-back one.
`by` is the user who acts; None when the system does (an incoming email).
"""

from typing import Any

from django.db import transaction
from django.db.models import Model
from wagtail.log_actions import log

from ticketing.tickets.events import (
    MessageAdded,
    TicketAssigned,
    TicketOpened,
    TicketUpdated,
    publish,
)
from ticketing.tickets.models import Ticket

# What no caller writes: the status moves only through `apply_transition` (its timeline and
# its checks), the number is given once by save(), the rest is the model's own bookkeeping.
NOT_WRITABLE = frozenset(
    {"id", "number", "sequence", "status", "version", "created_by", "created_at", "updated_at"}
)
MESSAGE_DIRECTIONS = ("inbound", "outbound")


def actor_id(user) -> int | None:
    """The id an event carries for `user`: None for the system (no user, or an anonymous one)."""
    return user.pk if user is not None and user.is_authenticated else None


def open_ticket(*, by, channel: str = "admin", **fields: Any) -> Ticket:
    """Open a ticket with `fields` (the model's field names), created by `by`.

    The number is given by the ticket's save, in this transaction, so that a ticket that fails
    to open uses none. `channel` tells where it came from ("admin", "email"; later "portal",
    "api"); the ticket's Wagtail history starts with its creation. Publishes TicketOpened
    only: an assignee given here is part of the ticket as opened, not a TicketAssigned.
    """
    _refuse_unwritable(fields)
    with transaction.atomic():
        ticket = Ticket(**fields)
        ticket.created_by = by if actor_id(by) is not None else None
        ticket.save()
        log(ticket, "wagtail.create", user=ticket.created_by, content_changed=True)
        publish(TicketOpened(ticket_id=ticket.pk, actor_id=ticket.created_by_id, channel=channel))
    return ticket


def update_ticket(
    ticket: Ticket, changes: dict[str, Any], *, by, loaded_version: int | None = None
) -> Ticket:
    """Write `changes` ({field name: new value}) to `ticket` for `by`, and nothing else.

    Raises EditConflict when the ticket was saved since `loaded_version` (by default, the
    version `ticket` was read at): an agent's edit never overwrites a colleague's unseen one.
    Never the status: that is `apply_transition`'s. Publishes TicketUpdated with the fields
    whose stored value really changed, and none when nothing did; when the assignee is among
    them, TicketAssigned too, so that who handles the ticket is told the same way whether an
    edit or an assignment changed it.
    """
    _refuse_unwritable(changes)
    if not changes:
        return ticket
    with transaction.atomic():
        # Unlocked: if a colleague saves after this read, the version check below refuses ours.
        stored = _stored_values(ticket, changes)
        if loaded_version is not None:
            ticket.version = loaded_version
        changed = _write(ticket, changes, stored, by)
        log(ticket, "wagtail.edit", user=by, content_changed=bool(changed))
    return ticket


def assign_ticket(ticket: Ticket, assignee, *, by) -> Ticket:
    """Give `ticket` to `assignee` (None: nobody); a ticket already theirs is left as it is.

    The row is locked and re-read first: an assignment has no form to be out of date, so it
    applies to the ticket as it is now instead of failing on a colleague's edit. Publishes
    TicketUpdated and TicketAssigned, like an edit that changes the assignee.
    """
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        stored = {"assigned_to_id": locked.assigned_to_id}
        if locked.assigned_to_id != (assignee.pk if assignee else None):
            _write(locked, {"assigned_to": assignee}, stored, by)
    return locked


def add_message(ticket: Ticket, message: Model, *, by, direction: str) -> Model:
    """Put `message` on `ticket` and save it: an email received or sent (later a portal reply).

    The message's own app builds the record (any model with a `ticket` link) and keeps what is
    its own (attachments, delivery); this is where the ticket learns of it. `direction` is
    "inbound" (from the customer) or "outbound" (to them). Publishes MessageAdded.
    """
    if direction not in MESSAGE_DIRECTIONS:
        raise ValueError(f"direction must be one of {MESSAGE_DIRECTIONS}, not {direction!r}")
    with transaction.atomic():
        message.ticket = ticket
        message.save()
        publish(
            MessageAdded(
                ticket_id=ticket.pk,
                actor_id=actor_id(by),
                message_id=message.pk,
                direction=direction,
            )
        )
    return message


def _refuse_unwritable(fields: dict[str, Any]) -> None:
    if refused := sorted(NOT_WRITABLE & {Ticket._meta.get_field(name).name for name in fields}):
        raise ValueError(f"Ticket fields not written by this service: {', '.join(refused)}")


def _stored_values(ticket: Ticket, changes: dict[str, Any]) -> dict[str, Any]:
    """The values `changes` will replace, as the database holds them (ids for foreign keys).

    Read again rather than taken from `ticket`: a form has already put what was typed on it.
    """
    names = [f.attname for f in _fields(changes)]
    return Ticket._base_manager.filter(pk=ticket.pk).values(*names).get() if names else {}


def _fields(changes: dict[str, Any]) -> list:
    return [Ticket._meta.get_field(name) for name in changes]


def _write(ticket: Ticket, changes: dict[str, Any], stored: dict[str, Any], by) -> dict:
    """Save `changes` on `ticket` and publish what really changed: {field: (old, new)}."""
    for name, value in changes.items():
        setattr(ticket, name, value)
    fields = _fields(changes)
    ticket.save(update_fields=[f.name for f in fields])
    changed = {}
    for f in fields:
        new = f.to_python(getattr(ticket, f.attname))
        if stored[f.attname] != new:
            changed[f.name] = (stored[f.attname], new)
    if changed:
        publish(TicketUpdated(ticket_id=ticket.pk, actor_id=actor_id(by), changes=changed))
    if "assigned_to" in changed:
        was, now = changed["assigned_to"]
        publish(
            TicketAssigned(
                ticket_id=ticket.pk, actor_id=actor_id(by), from_user_id=was, to_user_id=now
            )
        )
    return changed
