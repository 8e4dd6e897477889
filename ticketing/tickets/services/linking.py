"""Linking records to a ticket and unlinking them (S16–S27), written on the ticket's timeline."""

from collections.abc import Sequence

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model

from ticketing.tickets.events import RecordLinked, RecordUnlinked, publish
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import RelatedList
from ticketing.tickets.services.tickets import actor_id
from ticketing.tickets.timeline import record_link_change

# The operation of a document deleted while linked (auditlog's are "add" and "delete").
DOCUMENT_DELETED = "deleted"


class LinkRefused(Exception):  # noqa: N818 - reads as what happened
    """The agent may not link this record to the ticket."""


def link_record(ticket: Ticket, related: RelatedList, record: Model, by) -> None:
    """Link `record` to `ticket` in list `related` for `by`, and note it on the ticket's timeline.

    Raises LinkRefused when `by` may not see the record; a record already linked stays as it
    is. Publishes RecordLinked; a child record moved over from another ticket publishes
    RecordUnlinked there too.
    """
    link_records(ticket, related, [record], by)


def link_records(ticket: Ticket, related: RelatedList, records: Sequence[Model], by) -> None:
    """`link_record` for several records of one list at once, in one transaction.

    One permission check for them all; each record is linked, noted on the timeline and
    published on its own. A record already on the ticket is left as it is, unpublished.
    """
    pks = {record.pk for record in records}
    if related.linkable_records(by).filter(pk__in=pks).count() != len(pks):
        raise LinkRefused
    already = _linked_already(ticket, related, records)
    with transaction.atomic():
        for record in records:
            if record.pk in already:
                continue
            left = [] if related.is_select else related.tickets_of(record)
            related.link(ticket, record)
            if related.is_select:  # a child record's move is noted by its save (link_auditing)
                log_link_change(ticket, related.key, record, "add")
            for ticket_id in left:
                publish(_event(RecordUnlinked, ticket_id, related, record, by))
            publish(_event(RecordLinked, ticket.pk, related, record, by))


def unlink_record(ticket: Ticket, related: RelatedList, record: Model, by=None) -> None:
    """Remove the link only: the record stays, in its own module. Publishes RecordUnlinked."""
    with transaction.atomic():
        related.unlink(ticket, record)
        if related.is_select:
            log_link_change(ticket, related.key, record, "delete")
        publish(_event(RecordUnlinked, ticket.pk, related, record, by))


def _linked_already(ticket: Ticket, related: RelatedList, records: Sequence[Model]) -> set:
    if related.is_select:
        pks = [record.pk for record in records]
        return set(related.queryset(ticket).filter(pk__in=pks).values_list("pk", flat=True))
    return {record.pk for record in records if record.ticket_id == ticket.pk}


def _event(event_class: type, ticket_id: int, related: RelatedList, record: Model, by):
    return event_class(
        ticket_id=ticket_id,
        actor_id=actor_id(by),
        list_key=related.key,
        record_id=record.pk,
    )


def log_link_change(ticket: Ticket, related_key: str, record: Model, operation: str) -> None:
    """Note on the ticket's timeline that a record joined it ("add") or left it ("delete", or
    `DOCUMENT_DELETED` when a document goes).

    django-auditlog records it too, like its own many-to-many changes; its entry knows the
    agent whose request made the change, whichever road (a link view, a record's form) saved it.
    """
    entry = LogEntry.objects.log_create(
        ticket,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={related_key: {"type": "m2m", "operation": operation, "objects": [str(record)]}},
    )
    record_link_change(
        ticket,
        related_key,
        record,
        linked=operation == "add",
        actor_id=entry.actor_id if entry else None,
        deleted=operation == DOCUMENT_DELETED,
    )
