from django.conf import settings
from django.db import transaction
from django.db.models import F

from ticketing.models.tickets import TicketCounter

TICKET_SEQUENCE = "ticket"


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}{value:0{settings.GUICHET_TICKET_NUMBER_PADDING}d}"


def format_ticket_number(value: int) -> str:
    return format_number(settings.GUICHET_TICKET_NUMBER_PREFIX, value)


def allocate_number(sequence: str) -> int:
    """Take the next value of `sequence` inside the caller's transaction.

    The UPDATE locks the counter row (PostgreSQL) or the database (SQLite) until the creating
    transaction ends, so concurrent creations queue up instead of reading the same value, and a
    rolled-back creation gives its number back: numbers stay unique and gapless.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() must run inside the creating transaction")
    bumped = TicketCounter.objects.filter(name=sequence).update(value=F("value") + 1)
    if not bumped:
        TicketCounter.objects.create(name=sequence, value=1)
    return TicketCounter.objects.values_list("value", flat=True).get(name=sequence)


def allocate_ticket_number() -> str:
    return format_ticket_number(allocate_number(TICKET_SEQUENCE))
