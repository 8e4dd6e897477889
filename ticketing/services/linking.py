from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model
from wagtail.documents import get_document_model
from wagtail.documents import get_permission_policy as document_permission_policy
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from ticketing.models import Ticket
from ticketing.related_lists import RelatedList

TICKET_DOCUMENTS_COLLECTION = "Ticket attachments"
# The field-history operation of a document deleted while linked (auditlog's are add/delete).
DOCUMENT_DELETED = "deleted"


class LinkRefused(Exception):  # noqa: N818 - reads as what happened
    """The agent may not link this record to the ticket."""


def linkable_records(related: RelatedList, user):
    """The records of `related` that `user` may see, and so may link to a ticket."""
    if related.model is get_document_model():
        return document_permission_policy().instances_user_has_any_permission_for(user, ["choose"])
    policy = policy_registry.get_by_type(related.model)
    if not policy.user_has_any_permission(user, ["view", "change"]):
        return related.model.objects.none()
    return related.model.objects.all()


def link_record(ticket: Ticket, related: RelatedList, record: Model, user) -> None:
    """Link `record` to `ticket` in list `related`; auditlog records it on the ticket."""
    if not linkable_records(related, user).filter(pk=record.pk).exists():
        raise LinkRefused
    with transaction.atomic():
        if related.is_select:
            getattr(ticket, related.key).add(record)
        else:  # a child record: linking it here moves it from wherever it was
            record.ticket = ticket
            record.save(update_fields=["ticket"])


def unlink_record(ticket: Ticket, related: RelatedList, record: Model) -> None:
    """Remove the link only: the record itself stays, in its own module."""
    with transaction.atomic():
        if related.is_select:
            getattr(ticket, related.key).remove(record)
        else:
            record.ticket = None
            record.save(update_fields=["ticket"])


def ticket_documents_collection() -> Collection:
    """The private collection of ticket attachments (created by a data migration)."""
    return Collection.objects.get(name=TICKET_DOCUMENTS_COLLECTION, depth=2)


def may_attach_documents(user) -> bool:
    """Whether `user` may add documents to the private collection of ticket attachments."""
    collections = document_permission_policy().collections_user_has_permission_for(user, "add")
    return collections.filter(name=TICKET_DOCUMENTS_COLLECTION, depth=2).exists()


def attach_new_document(ticket: Ticket, title: str, uploaded_file, user) -> Model:
    """Store an uploaded file as a private document of `ticket`."""
    document_model = get_document_model()
    with transaction.atomic():
        document = document_model(
            title=title,
            file=uploaded_file,
            collection=ticket_documents_collection(),
            uploaded_by_user=user,
        )
        document._set_document_file_metadata()
        document.save()
        ticket.documents.add(document)
    return document


def log_link_change(ticket: Ticket, related_key: str, record: Model, operation: str) -> None:
    """Note on the ticket's field history that a child record joined or left it.

    Written like django-auditlog's own many-to-many entries, so one reader shows both.
    """
    LogEntry.objects.log_create(
        ticket,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={related_key: {"type": "m2m", "operation": operation, "objects": [str(record)]}},
    )
