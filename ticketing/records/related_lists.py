"""The linked records' lists on a ticket (S16–S23, S25–S27), in the seed's order."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from ticketing.common.documents import choosable_documents
from ticketing.common.views.choosers import LocalizedSnippetChooser
from ticketing.records.choices import ActivityStatus
from ticketing.records.documents import attach_documents, ticket_documents
from ticketing.records.models import (
    Activity,
    Expense,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    TicketDocument,
    Timesheet,
)
from ticketing.tickets.link_auditing import audit_child_links
from ticketing.tickets.related_lists import RelatedList, register_related_list
from ticketing.tickets.views.urls import ticket_url


@dataclass(frozen=True)
class SnippetList(RelatedList):
    def chooser_widget(self):
        return LocalizedSnippetChooser(self.model)


@dataclass(frozen=True)
class DocumentList(RelatedList):
    """Wagtail documents: linked through TicketDocument, permissions by collection."""

    def queryset(self, ticket):
        return ticket_documents(ticket)

    def tickets_of(self, record) -> list[int]:
        return list(record.ticket_links.values_list("ticket_id", flat=True))

    def link(self, ticket, record) -> None:
        attach_documents(ticket, record)

    def unlink(self, ticket, record) -> None:
        with transaction.atomic():
            TicketDocument.objects.filter(ticket=ticket, document=record).delete()

    def user_may_see(self, user) -> bool:
        return True  # every row is a document the ticket's reader may download (collection)

    def linkable_records(self, user):
        return choosable_documents(user)

    def chooser_widget(self):
        return AdminDocumentChooser()

    def record_url(self, record) -> str:
        return reverse("wagtaildocs_serve", args=(record.pk, record.filename))

    def see_all_url(self, ticket) -> None:
        return None

    def create_url(self, ticket, user, back_url: str) -> str | None:
        return ticket_url("upload_document", ticket.pk)


def register_related_lists() -> None:
    for related in [
        SnippetList(
            "activities", _("Activities"), Activity, "create", order=10,
            filters={"status": ActivityStatus.OPEN},
        ),
        DocumentList("documents", _("Documents"), get_document_model(), "select", order=20),
        SnippetList(
            "activity_history", _("Activity history"), Activity, "create", order=30,
            filters={"status": ActivityStatus.CLOSED}, creatable=False,
        ),
        SnippetList("services", _("Services"), Service, "select", order=40),
        SnippetList("expenses", _("Expenses"), Expense, "create", order=50),
        SnippetList("sales_orders", _("Sales orders"), SalesOrder, "select", order=60),
        SnippetList("quotes", _("Quotes"), Quote, "select", order=70),
        SnippetList("projects", _("Projects"), Project, "select", order=80),
        SnippetList("timesheets", _("Timesheets"), Timesheet, "create", order=90),
        SnippetList(
            "service_contracts", _("Service contracts"), ServiceContract, "select", order=100
        ),
    ]:  # fmt: skip
        register_related_list(related)
    # A child record joining or leaving a ticket is written on its history (by any road).
    audit_child_links(Activity, "activities")
    audit_child_links(Expense, "expenses")
    audit_child_links(Timesheet, "timesheets")
