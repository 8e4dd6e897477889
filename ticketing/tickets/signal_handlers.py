"""What the ticket row keeps of its messages: who wrote the latest one, and when."""

from django.utils import timezone

from ticketing.tickets.events import MessageAdded, ticket_changing
from ticketing.tickets.models import Ticket


def note_last_message(sender, event: MessageAdded, **kwargs) -> None:
    # An UPDATE, not save(): the ticket's version stays (an agent's open edit form is still
    # valid), its "last update" moves (a reply is news). In the message's transaction.
    now = timezone.now()
    Ticket._base_manager.filter(pk=event.ticket_id).update(
        last_message_direction=event.direction, last_message_at=now, updated_at=now
    )


def connect_handlers() -> None:
    ticket_changing.connect(
        note_last_message, sender=MessageAdded, dispatch_uid="tickets-last-message"
    )
