"""Notifications follow the ticket's domain events, once their change is committed."""

from ticketing.notifications.delivery import enqueue_notifications
from ticketing.notifications.rules import NOTIFYING_EVENTS
from ticketing.tickets.events import TicketEvent, ticket_changed


def queue_notifications(sender, event: TicketEvent, **kwargs) -> None:
    # Only queued here: the worker writes the rows and sends the emails, never the request.
    enqueue_notifications(event)


def register_signal_handlers() -> None:
    for event_class in NOTIFYING_EVENTS:
        ticket_changed.connect(
            queue_notifications,
            sender=event_class,
            dispatch_uid=f"notifications-{event_class.__name__}",
        )
