"""The ticket's related lists (S16–S27): what each shows and how a record joins the ticket."""

from dataclasses import dataclass
from typing import Literal

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from ticketing.choices import ActivityStatus
from ticketing.models import (
    Activity,
    EmailMessage,
    Expense,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    Ticket,
    Timesheet,
)

ROWS_SHOWN = 5


@dataclass(frozen=True)
class RelatedList:
    key: str
    label: Promise
    model: type[Model]
    # "create": a child record with a `ticket` foreign key (S16, S21, S26);
    # "select": a record linked many-to-many, chosen or created from the ticket.
    kind: Literal["create", "select"]
    activity_status: str | None = None
    # A child record that is chosen rather than created here (S24: emails), or moved over
    # from another ticket.
    choosable_child: bool = False

    @property
    def is_select(self) -> bool:
        return self.kind == "select"

    @property
    def can_link(self) -> bool:
        return self.is_select or self.choosable_child

    def queryset(self, ticket: Ticket) -> QuerySet:
        if self.is_select:
            return getattr(ticket, self.key).all()
        rows = self.model.objects.filter(ticket=ticket)
        if self.activity_status:
            rows = rows.filter(status=self.activity_status)
        return rows


RELATED_LISTS = [
    RelatedList("activities", _("Activities"), Activity, "create", ActivityStatus.OPEN),
    RelatedList("documents", _("Documents"), get_document_model(), "select"),
    RelatedList(
        "activity_history", _("Activity history"), Activity, "create", ActivityStatus.CLOSED
    ),
    RelatedList("services", _("Services"), Service, "select"),
    RelatedList("expenses", _("Expenses"), Expense, "create"),
    RelatedList("sales_orders", _("Sales orders"), SalesOrder, "select"),
    RelatedList("quotes", _("Quotes"), Quote, "select"),
    RelatedList("projects", _("Projects"), Project, "select"),
    RelatedList("timesheets", _("Timesheets"), Timesheet, "create"),
    RelatedList("service_contracts", _("Service contracts"), ServiceContract, "select"),
    RelatedList("emails", _("Emails"), EmailMessage, "create", choosable_child=True),
]
RELATED_LISTS_BY_KEY = {related.key: related for related in RELATED_LISTS}


def select_list_for_model(model: type[Model]) -> RelatedList | None:
    """The many-to-many list that records of `model` join when created from a ticket."""
    return next((r for r in RELATED_LISTS if r.is_select and r.model is model), None)
