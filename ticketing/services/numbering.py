from django.conf import settings
from django.db import transaction
from django.db.models import F

from ticketing.models.tickets import TicketCounter

TICKET_SEQUENCE = "ticket"


def format_ticket_number(value: int) -> str:
    prefix = settings.GUICHET_TICKET_NUMBER_PREFIX
    return f"{prefix}{value:0{settings.GUICHET_TICKET_NUMBER_PADDING}d}"


def allocate_ticket_number() -> str:
    """Take the next ticket number inside the caller's transaction.

    The UPDATE locks the counter row (PostgreSQL) or the database (SQLite) until the creating
    transaction ends, so concurrent creations queue up instead of reading the same value, and a
    rolled-back creation gives its number back: numbers stay unique and gapless.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_ticket_number() must run inside the creating transaction")
    bumped = TicketCounter.objects.filter(name=TICKET_SEQUENCE).update(value=F("value") + 1)
    if not bumped:
        TicketCounter.objects.create(name=TICKET_SEQUENCE, value=1)
    value = TicketCounter.objects.values_list("value", flat=True).get(name=TICKET_SEQUENCE)
    return format_ticket_number(value)
