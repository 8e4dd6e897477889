"""What django-auditlog records (S15): every field of a ticket, old → new, and who changed it."""

from auditlog.registry import auditlog


def register_models() -> None:
    from ticketing.models import Ticket

    # version and updated_at change on every save and say nothing a person needs to read.
    auditlog.register(Ticket, exclude_fields=["version", "updated_at"])
