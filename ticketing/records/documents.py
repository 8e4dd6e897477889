"""A ticket's documents (S17): private Wagtail documents linked through `TicketDocument`."""

from django.db import transaction
from django.db.models import QuerySet
from wagtail.documents import get_document_model

from ticketing.common.documents import store_private_document
from ticketing.records.models import TicketDocument
from ticketing.tickets.related_lists import related_list
from ticketing.tickets.services.linking import link_record


def ticket_documents(ticket) -> QuerySet:
    """The documents linked to `ticket`."""
    return get_document_model().objects.filter(ticket_links__ticket=ticket)


def attach_documents(ticket, *documents) -> None:
    """Link `documents` to `ticket`; a document already linked stays linked once.

    For the attachments of an email, whose own MessageAdded tells of them: other documents
    take the linking road (`link_record`), which notes and publishes each link.
    """
    linked = set(
        TicketDocument.objects.filter(ticket=ticket, document__in=documents).values_list(
            "document_id", flat=True
        )
    )
    TicketDocument.objects.bulk_create(
        [TicketDocument(ticket=ticket, document=d) for d in documents if d.pk not in linked]
    )


def attach_new_document(ticket, title: str, uploaded_file, user):
    """Store an uploaded file as a private document of `ticket`, linked on the linking road
    (the ticket's timeline, RecordLinked). Raises LinkRefused, storing nothing, when `user`
    may not choose documents of the private collection."""
    with transaction.atomic():
        document = store_private_document(title, uploaded_file, user=user)
        link_record(ticket, related_list("documents"), document, by=user)
    return document
