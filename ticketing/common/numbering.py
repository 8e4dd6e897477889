"""Gapless numbers (TT-000042, QT-000007…): the counter rows, the number fields, the service.

A record's number is taken from a counter row that the creating transaction locks, so numbers
are unique and gapless under concurrent creation and a rolled-back creation gives its number back.
"""

from typing import ClassVar, Protocol

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class NumberCounter(models.Model):
    """One row per sequence; locked by the transaction that creates a numbered record."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


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
    counter = NumberCounter.objects.filter(name=sequence)
    if not counter.update(value=F("value") + 1):
        # The sequence's first number: two transactions may get here at once, so the row is
        # inserted only if still missing (ON CONFLICT DO NOTHING), then bumped under its lock.
        NumberCounter.objects.bulk_create([NumberCounter(name=sequence)], ignore_conflicts=True)
        counter.update(value=F("value") + 1)
    return NumberCounter.objects.values_list("value", flat=True).get(name=sequence)


def assign_number(record: Numbered) -> None:
    """Give a new ticket or record the next number of its sequence, as text and as an integer.

    Listings sort and search on the integer: as text, "TT-1000000" sorts before "TT-999999".
    """
    value = allocate_number(record.number_sequence)
    record.sequence = value
    record.number = format_number(record.number_prefix(), value)


class NumberSequenceField(models.PositiveBigIntegerField):
    """The integer of a record's number: what listings sort and search on.

    The numbering service sets it with the number. A row given its number by hand (an import, a
    bulk insert: neither calls save()) gets it from the number's digits here, since bulk_create
    calls pre_save() too; a number not in the PREFIX + digits form leaves it empty.
    """

    def __init__(self, verbose_name=None, **kwargs) -> None:
        kwargs.update(null=True, unique=True, editable=False)
        super().__init__(verbose_name or _("number (numeric)"), **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "unique", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add: bool):
        value = getattr(model_instance, self.attname)
        # Historical models (data migrations) have no number_prefix(): they leave it as given.
        number_prefix = getattr(model_instance, "number_prefix", None)
        if value is None and model_instance.number and number_prefix:
            value = parse_number(model_instance.number, number_prefix())
            setattr(model_instance, self.attname, value)
        return value


class AutoNumbered(models.Model):
    """A record numbered like tickets: PREFIX-000042, gapless, never reused, never changed."""

    number_sequence: ClassVar[str]

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    sequence = NumberSequenceField()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self._state.adding and not self.number:
                assign_number(self)
            super().save(*args, **kwargs)

    @classmethod
    def number_prefix(cls) -> str:
        return settings.GUICHET_NUMBER_PREFIXES[cls.number_sequence]
