"""Linking records to a ticket and unlinking them (S16–S27), written on the ticket's timeline."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from auditlog import context as auditlog_context
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model

from ticketing.tickets.events import RecordLinked, RecordUnlinked, publish
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import RelatedList
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
    with transaction.atomic(), set_actor(by):
        for record in records:
            if record.pk in already:
                continue
            related.link(ticket, record)
            if related.is_select:  # a child record's move is noted by its save (link_auditing)
                log_link_change(ticket, related.key, record, "add")


def unlink_record(ticket: Ticket, related: RelatedList, record: Model, by=None) -> None:
    """Remove the link only: the record stays, in its own module. Publishes RecordUnlinked."""
    with transaction.atomic(), set_actor(by):
        related.unlink(ticket, record)
        if related.is_select:
            log_link_change(ticket, related.key, record, "delete")


def set_links(record: Model, related: RelatedList, tickets: Iterable[Ticket], by) -> None:
    """Make `tickets` the tickets of `record` (a select list's record), as its own form does:
    each ticket it joins or leaves is linked or unlinked on the one road."""
    wanted = {ticket.pk: ticket for ticket in tickets}
    current = set(related.tickets_of(record))
    with transaction.atomic(), set_actor(by):
        for ticket in Ticket.objects.filter(pk__in=current - wanted.keys()):
            related.unlink(ticket, record)
            log_link_change(ticket, related.key, record, "delete")
        for pk in wanted.keys() - current:
            related.link(wanted[pk], record)
            log_link_change(wanted[pk], related.key, record, "add")


def _linked_already(ticket: Ticket, related: RelatedList, records: Sequence[Model]) -> set:
    if related.is_select:
        pks = [record.pk for record in records]
        return set(related.queryset(ticket).filter(pk__in=pks).values_list("pk", flat=True))
    return {record.pk for record in records if record.ticket_id == ticket.pk}


@contextmanager
def set_actor(user) -> Iterator[None]:
    """Make `user` the author of the changes of the block, as the request's user is: the
    timeline rows and events of a child record's save (link_auditing) are theirs too."""
    if user is None or not user.is_authenticated:
        yield
        return
    with auditlog_context.set_actor(user):
        yield


def log_link_change(ticket: Ticket, related_key: str, record: Model, operation: str) -> None:
    """Note on the ticket's timeline that a record joined it ("add") or left it ("delete", or
    `DOCUMENT_DELETED` when a document goes), and publish RecordLinked or RecordUnlinked.

    Every road that links or unlinks ends here, the services above and a child record saved
    in its own form (link_auditing). django-auditlog records it too, like its own many-to-many
    changes; its entry knows the agent whose request made the change (or `set_actor`'s).
    """
    entry = LogEntry.objects.log_create(
        ticket,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={related_key: {"type": "m2m", "operation": operation, "objects": [str(record)]}},
    )
    actor = entry.actor_id if entry else None
    linked = operation == "add"
    record_link_change(
        ticket, related_key, record, linked, actor_id=actor, deleted=operation == DOCUMENT_DELETED
    )
    event_class = RecordLinked if linked else RecordUnlinked
    publish(event_class(ticket.pk, actor, list_key=related_key, record_id=record.pk))
