"""A ticket's documents (S17): private Wagtail documents linked through `TicketDocument`."""

from django.db import transaction
from django.db.models import QuerySet
from wagtail.documents import get_document_model

from ticketing.common.documents import store_private_document
from ticketing.records.models import TicketDocument


def ticket_documents(ticket) -> QuerySet:
    """The documents linked to `ticket`."""
    return get_document_model().objects.filter(ticket_links__ticket=ticket)


def attach_documents(ticket, *documents) -> None:
    """Link `documents` to `ticket`; a document already linked stays linked once."""
    linked = set(
        TicketDocument.objects.filter(ticket=ticket, document__in=documents).values_list(
            "document_id", flat=True
        )
    )
    TicketDocument.objects.bulk_create(
        [TicketDocument(ticket=ticket, document=d) for d in documents if d.pk not in linked]
    )


def attach_new_document(ticket, title: str, uploaded_file, user):
    """Store an uploaded file as a private document of `ticket`."""
    with transaction.atomic():
        document = store_private_document(title, uploaded_file, user=user)
        attach_documents(ticket, document)
    return document
