"""Domain events: what happened to a ticket, who did it, told once the change is committed.

Each service (`ticketing/tickets/services/`) publishes one event per change. Two signals carry
it, both with the event's class as `sender`, so a receiver listens to the events it wants:

- `ticket_changing`, inside the transaction that makes the change: for derived state that must
  commit or roll back with it (service-contract units). A receiver that raises undoes the change.
- `ticket_changed`, after the transaction commits, once per event, never for a rolled-back
  change: for reactions (SLA clocks, automation rules, notifications, webhooks). A receiver
  that raises is logged and does not stop the others.
"""

import logging
from dataclasses import dataclass, field

import django.dispatch
from django.db import transaction

logger = logging.getLogger(__name__)

ticket_changing = django.dispatch.Signal()
ticket_changed = django.dispatch.Signal()


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
    transaction.on_commit(lambda: _tell_committed(event), robust=True)


def _tell_committed(event: TicketEvent) -> None:
    for receiver, error in ticket_changed.send_robust(sender=type(event), event=event):
        if isinstance(error, Exception):
            logger.error(
                "Receiver %r failed on %r",
                receiver,
                event,
                exc_info=(type(error), error, error.__traceback__),
            )
