"""Linking records to a ticket and unlinking them (S16–S27), written on the ticket's history."""

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model

from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import RelatedList

# The field-history operation of a document deleted while linked (auditlog's are add/delete).
DOCUMENT_DELETED = "deleted"


class LinkRefused(Exception):  # noqa: N818 - reads as what happened
    """The agent may not link this record to the ticket."""


def link_record(ticket: Ticket, related: RelatedList, record: Model, user) -> None:
    """Link `record` to `ticket` in list `related`, and note it on the ticket's history."""
    if not related.linkable_records(user).filter(pk=record.pk).exists():
        raise LinkRefused
    with transaction.atomic():
        related.link(ticket, record)
        if related.is_select:  # a child record's move is noted by its save (signal_handlers)
            log_link_change(ticket, related.key, record, "add")


def unlink_record(ticket: Ticket, related: RelatedList, record: Model, user=None) -> None:
    """Remove the link only: the record itself stays, in its own module."""
    with transaction.atomic():
        related.unlink(ticket, record)
        if related.is_select:
            log_link_change(ticket, related.key, record, "delete")


def log_link_change(ticket: Ticket, related_key: str, record: Model, operation: str) -> None:
    """Note on the ticket's field history that a record joined or left it.

    Written like django-auditlog's own many-to-many entries, so one reader shows both.
    """
    LogEntry.objects.log_create(
        ticket,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={related_key: {"type": "m2m", "operation": operation, "objects": [str(record)]}},
    )
