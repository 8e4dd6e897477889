"""Search helpers every listing shares: words in columns, whole record numbers."""

from django.conf import settings
from django.db.models import Q


def contains(query: str, fields: list[str]) -> Q:
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": query})
    return matches


def has_prefix(query: str, prefix: str) -> bool:
    return query[: len(prefix)].upper() == prefix.upper()


def whole_number(query: str, prefix: str) -> int | None:
    """The integer of a whole number typed as "TT-000042", "tt-42" or "42", else None."""
    digits = query[len(prefix) :] if has_prefix(query, prefix) else query
    if not (digits.isascii() and digits.isdigit()):
        return None
    # "TT-0000" is the start of many numbers, not number zero: leave it to the substring search.
    if digits.startswith("0") and len(digits) < settings.GUICHET_TICKET_NUMBER_PADDING:
        return None
    return int(digits)
