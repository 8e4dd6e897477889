"""Domain events: what happened to a ticket, who did it, told once the change is committed.

Each service (`ticketing/tickets/services/`) publishes one event per change. Three signals carry
it, each with the event's class as `sender`, so a receiver listens to the events it wants:

- `ticket_changing`, inside the transaction that makes the change, once per event: for what
  must commit or roll back with it. A receiver that raises undoes the change.
- `ticket_changing_batch`, inside the transaction too, with `events` (a tuple of one class): for
  derived state counted over many rows (service-contract units), worked out once per bulk change.
  A service on its own sends it with its one event; within `batch()` (bulk actions, later merges
  and automation rules), it is sent once per event class at the end of the block, with them all.
- `ticket_changed`, after the transaction commits, once per event, never for a rolled-back
  change: for reactions (SLA clocks, automation rules, notifications, webhooks). A receiver
  that raises is logged and does not stop the others.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import django.dispatch
from django.db import transaction

logger = logging.getLogger(__name__)

ticket_changing = django.dispatch.Signal()
ticket_changed = django.dispatch.Signal()
ticket_changing_batch = django.dispatch.Signal()

# The events of the open `batch()` block, in the order they were published; None outside one.
_batched: ContextVar[list | None] = ContextVar("ticket_events_batched", default=None)


@dataclass(frozen=True)
class TicketEvent:
    ticket_id: int
    # The user who made the change; None when the system did (an email, later a rule).
    actor_id: int | None


@dataclass(frozen=True)
class TicketOpened(TicketEvent):
    # Where the ticket came from: "admin", "email" (later "portal", "api").
    channel: str = "admin"


@dataclass(frozen=True)
class TicketUpdated(TicketEvent):
    # {field name: (old value, new value)}, values as stored (ids for foreign keys).
    changes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TicketAssigned(TicketEvent):
    from_user_id: int | None = None
    to_user_id: int | None = None


@dataclass(frozen=True)
class TicketTransitioned(TicketEvent):
    transition: str = ""
    from_status: str = ""
    to_status: str = ""
    comment: str = ""


@dataclass(frozen=True)
class MessageAdded(TicketEvent):
    message_id: int = 0
    # "inbound" (from the customer) or "outbound" (from an agent).
    direction: str = ""


@dataclass(frozen=True)
class NoteAdded(TicketEvent):
    # The internal note's timeline row, and the agents it @mentions (known users only).
    entry_id: int = 0
    mentioned_user_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RecordLinked(TicketEvent):
    list_key: str = ""
    record_id: int = 0


@dataclass(frozen=True)
class RecordUnlinked(TicketEvent):
    list_key: str = ""
    record_id: int = 0


def publish(event: TicketEvent) -> None:
    """Tell the receivers of `event`: now inside the transaction, again once it commits."""
    ticket_changing.send(sender=type(event), event=event)
    batched = _batched.get()
    if batched is None:
        ticket_changing_batch.send(sender=type(event), events=(event,))
    else:
        batched.append(event)
    transaction.on_commit(lambda: _tell_committed(event), robust=True)


@contextmanager
def batch() -> Iterator[None]:
    """Make the changes of the block in one transaction, and tell `ticket_changing_batch` once
    per event class at its end: N tickets closed together recount each contract once, not N times.

    An exception leaving the block rolls all of it back and tells nobody. An event whose own
    savepoint rolled back inside the block is still in the batch: its receivers work from the
    database (as the contract recount does), the events only say where to look. A batch opened
    inside another one joins it. `ticket_changing` and `ticket_changed` still hear each event.
    """
    if _batched.get() is not None:
        yield
        return
    batched: list[TicketEvent] = []
    token = _batched.set(batched)
    with transaction.atomic():
        try:
            yield
        finally:
            _batched.reset(token)
        by_class: dict[type, list[TicketEvent]] = {}
        for event in batched:
            by_class.setdefault(type(event), []).append(event)
        for event_class, events in by_class.items():
            ticket_changing_batch.send(sender=event_class, events=tuple(events))


def _tell_committed(event: TicketEvent) -> None:
    for receiver, error in ticket_changed.send_robust(sender=type(event), event=event):
        if isinstance(error, Exception):
            logger.error(
                "Receiver %r failed on %r",
                receiver,
                event,
                exc_info=(type(error), error, error.__traceback__),
            )
