"""Internal notes (issue 10): an agent's words on a ticket for the team, never for the customer.

A note is a row of the ticket's one timeline, `TimelineKind.NOTE`, always internal: no email, FAQ
answer or portal reads internal rows. Its @mentions name support staff by username; a name that
matches nobody is kept in the note, and the agent is told that nobody was notified.
"""

import re
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from ticketing.common.people import support_staff
from ticketing.tickets.choices import TimelineKind, Visibility
from ticketing.tickets.events import NoteAdded, publish
from ticketing.tickets.models import Ticket, TimelineEntry
from ticketing.tickets.services.tickets import actor_id
from ticketing.tickets.timeline import add_entry

# "@name" not preceded by a word character: an email address (claire@acme.example) is no mention.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


class EmptyNote(ValueError):
    """A note needs some text."""


def mentioned_names(body: str) -> list[str]:
    """The @names in `body`, in order, each once; a sentence's final dot is not part of it."""
    names = (match.rstrip(".-") for match in MENTION.findall(body))
    return list(dict.fromkeys(name for name in names if name))


def add_note(ticket: Ticket, body: str, *, by) -> TimelineEntry:
    """Write an internal note on `ticket` by `by` and publish `NoteAdded` with the agents it
    mentions (the notifications listen); unknown @names are kept in the row's data."""
    body = body.strip()
    if not body:
        raise EmptyNote("An internal note needs some text.")
    names = mentioned_names(body)
    known = {}
    if names:
        match_any = reduce(or_, (Q(username__iexact=name) for name in names))
        known = {user.username.lower(): user.pk for user in support_staff().filter(match_any)}
    mentions = [known[name.lower()] for name in names if name.lower() in known]
    unknown = [name for name in names if name.lower() not in known]
    data = {"body": body, "mentions": mentions, "unknown_mentions": unknown}
    with transaction.atomic():
        entry = add_entry(ticket.pk, TimelineKind.NOTE, actor_id(by), data, Visibility.INTERNAL)
        publish(
            NoteAdded(
                ticket_id=ticket.pk,
                actor_id=actor_id(by),
                entry_id=entry.pk,
                mentioned_user_ids=tuple(dict.fromkeys(mentions)),
            )
        )
    return entry
