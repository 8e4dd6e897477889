"""Who is told of what: a domain event and a few facts about its ticket in, a kind and the
users to tell out. Pure: no query, no side effect; `delivery.py` gathers the facts and acts.

Never the agent who caused the event: nobody is told what they did themselves.
"""

from dataclasses import dataclass

from ticketing.notifications.choices import NotificationKind
from ticketing.tickets.events import (
    MessageAdded,
    NoteAdded,
    TicketAssigned,
    TicketEvent,
    TicketOpened,
)

# The events a notification follows; the others (edits, transitions, links) tell nobody.
NOTIFYING_EVENTS = (TicketOpened, TicketAssigned, MessageAdded, NoteAdded)


@dataclass(frozen=True)
class TicketFacts:
    """What the rules need to know of the ticket, read when the notification is worked out."""

    assignee_id: int | None
    # The team that handles tickets (today all support staff; later the ticket's team).
    team_ids: frozenset[int]
    # An inbound message that opened the ticket: TicketOpened tells of it already.
    message_opened_ticket: bool = False


@dataclass(frozen=True)
class Told:
    kind: NotificationKind
    recipient_ids: frozenset[int]


def who_is_told(event: TicketEvent, facts: TicketFacts) -> Told | None:
    """The kind of notification `event` makes and who gets it; None when it tells nobody."""
    told = _told(event, facts)
    if told is None:
        return None
    recipients = told.recipient_ids - {event.actor_id}
    return Told(told.kind, recipients) if recipients else None


def _assignee_or_team(facts: TicketFacts) -> frozenset[int]:
    return frozenset({facts.assignee_id}) if facts.assignee_id else facts.team_ids


def _told(event: TicketEvent, facts: TicketFacts) -> Told | None:
    if isinstance(event, TicketOpened):
        return Told(NotificationKind.NEW_TICKET, _assignee_or_team(facts))
    if isinstance(event, TicketAssigned):
        if not event.to_user_id:
            return None
        return Told(NotificationKind.ASSIGNED, frozenset({event.to_user_id}))
    if isinstance(event, MessageAdded):
        if event.direction != "inbound" or facts.message_opened_ticket:
            return None
        return Told(NotificationKind.CUSTOMER_REPLY, _assignee_or_team(facts))
    if isinstance(event, NoteAdded):
        return Told(NotificationKind.MENTION, frozenset(event.mentioned_user_ids))
    return None
