from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F

from ticketing.models.tickets import Ticket, TicketCounter

TICKET_SEQUENCE = Ticket.number_sequence


class Numbered(Protocol):
    """A ticket or a numbered record: a displayed `number` and its integer `sequence`."""

    number_sequence: str
    number: str
    sequence: int | None

    @classmethod
    def number_prefix(cls) -> str: ...


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}{value:0{settings.GUICHET_TICKET_NUMBER_PADDING}d}"


def format_ticket_number(value: int) -> str:
    return format_number(settings.GUICHET_TICKET_NUMBER_PREFIX, value)


def parse_number(number: str, prefix: str) -> int | None:
    """The integer of a number written as PREFIX + digits ("TT-000042" → 42), else None."""
    digits = number[len(prefix) :] if number[: len(prefix)].upper() == prefix.upper() else ""
    return int(digits) if digits.isascii() and digits.isdigit() else None


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


def assign_number(record: Numbered) -> None:
    """Give a new ticket or record the next number of its sequence, as text and as an integer.

    Listings sort and search on the integer: as text, "TT-1000000" sorts before "TT-999999".
    """
    value = allocate_number(record.number_sequence)
    record.sequence = value
    record.number = format_number(record.number_prefix(), value)
