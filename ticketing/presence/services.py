"""Who else is on a ticket: each open page says it is there (and whether its agent types),
and hears who else is."""

import datetime

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ticketing.presence.models import TicketPresence
from ticketing.tickets.models import Ticket

# A page tells every GUICHET_PRESENCE_POLL_SECONDS (static/presence/ticket_presence.js); a
# presence not heard of for PRESENCE_EXPIRY is over: a few polls may be lost before it ends.
PRESENCE_EXPIRY = datetime.timedelta(seconds=60)


def poll_seconds() -> int:
    return settings.GUICHET_PRESENCE_POLL_SECONDS


def record_presence(ticket: Ticket, user, *, typing: bool) -> None:
    """`user` has `ticket`'s page open now (typing or not): since now, unless already there.

    Two statements whatever the row's state (an insert that yields to an existing row, then
    an update), so that the ticket page costs the same queries on every visit, and two pages
    of the same agent never race into a duplicate.
    """
    now = timezone.now()
    TicketPresence.objects.bulk_create(
        [TicketPresence(ticket=ticket, user=user, since=now, last_seen=now, typing=typing)],
        ignore_conflicts=True,
    )
    # A new visit after the last one expired starts a new "since".
    expired = When(last_seen__lt=now - PRESENCE_EXPIRY, then=Value(now))
    TicketPresence.objects.filter(ticket=ticket, user=user).update(
        since=Case(expired, default=F("since")), last_seen=now, typing=typing
    )


def leave_ticket(ticket: Ticket, user) -> None:
    TicketPresence.objects.filter(ticket=ticket, user=user).delete()


def others_on_ticket(ticket: Ticket, user) -> list[TicketPresence]:
    """The other agents on `ticket` now, those typing first, then the longest there."""
    fresh = timezone.now() - PRESENCE_EXPIRY
    presences = (
        TicketPresence.objects.filter(ticket=ticket, last_seen__gte=fresh)
        .exclude(user=user)
        .select_related("user")
        .order_by("-typing", "since", "pk")
    )
    return list(presences)


def forget_expired(ticket: Ticket) -> int:
    """Drop the ticket's presences that are over, so that its rows stay few."""
    fresh = timezone.now() - PRESENCE_EXPIRY
    return TicketPresence.objects.filter(ticket=ticket, last_seen__lt=fresh).delete()[0]
