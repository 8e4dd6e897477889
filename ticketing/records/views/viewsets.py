"""The records a ticket links to, each with its admin module."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import BooleanColumn

from ticketing.common.views.columns import DecimalColumn, MoneyColumn, PersonColumn, field_label
from ticketing.common.views.filters import assignee_choices, filter_by_assignee, filterset_for
from ticketing.records.models import (
    Activity,
    Expense,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    Timesheet,
)
from ticketing.tickets.views.linked import TicketLinkedViewSet


class ServiceContractViewSet(TicketLinkedViewSet):
    model = ServiceContract
    icon = "doc-full"
    list_display = [
        "number",
        "subject",
        "account",
        "tracking_unit",
        DecimalColumn("total_units", label=field_label(ServiceContract, "total_units")),
        DecimalColumn("used_units", label=field_label(ServiceContract, "used_units")),
        BooleanColumn("is_over", label=_("Over its total")),
        "status",
    ]
    inspect_view_fields = [
        "number", "subject", "account", "start_date", "end_date", "tracking_unit", "total_units",
        "used_units", "is_over", "status",
    ]  # fmt: skip
    filterset_class = filterset_for(ServiceContract, "tickets", "status", "tracking_unit")
    search_fields = ["number", "subject"]

    listing_related = ("account",)


class ServiceViewSet(TicketLinkedViewSet):
    model = Service
    icon = "cog"
    list_display = [
        "name",
        "unit",
        MoneyColumn("unit_price", label=field_label(Service, "unit_price")),
        "active",
    ]
    filterset_class = filterset_for(Service, "tickets", "active")
    search_fields = ["name"]


class ExpenseViewSet(TicketLinkedViewSet):
    model = Expense
    icon = "tag"
    list_display = [
        "date",
        "description",
        MoneyColumn("amount", currency_field="currency", label=field_label(Expense, "amount")),
        PersonColumn("spent_by", label=field_label(Expense, "spent_by")),
        "ticket",
    ]
    filterset_class = filterset_for(Expense, "ticket")
    search_fields = ["description"]

    listing_related = ("spent_by", "ticket")


class QuoteViewSet(TicketLinkedViewSet):
    model = Quote
    icon = "doc-empty"
    list_display = [
        "number",
        "subject",
        "account",
        "status",
        MoneyColumn("total", label=field_label(Quote, "total")),
        "date",
    ]
    filterset_class = filterset_for(Quote, "tickets", "status")
    search_fields = ["number", "subject"]

    listing_related = ("account",)


class SalesOrderViewSet(TicketLinkedViewSet):
    model = SalesOrder
    icon = "list-ul"
    list_display = [
        "number",
        "subject",
        "account",
        "status",
        MoneyColumn("total", label=field_label(SalesOrder, "total")),
        "date",
    ]
    filterset_class = filterset_for(SalesOrder, "tickets", "status")
    search_fields = ["number", "subject"]

    listing_related = ("account",)


class ProjectViewSet(TicketLinkedViewSet):
    model = Project
    icon = "folder"
    list_display = ["name", "status", "start_date", "end_date", "account"]
    filterset_class = filterset_for(Project, "tickets", "status")
    search_fields = ["name"]

    listing_related = ("account",)


class TimesheetViewSet(TicketLinkedViewSet):
    model = Timesheet
    icon = "time"
    list_display = [
        "date",
        PersonColumn("user", label=field_label(Timesheet, "user")),
        DecimalColumn("hours", label=field_label(Timesheet, "hours")),
        "description",
        "ticket",
        "project",
    ]
    filterset_class = filterset_for(Timesheet, "ticket", "user")
    search_fields = ["description"]

    listing_related = ("user", "ticket", "project")


class AgendaFilterSet(filterset_for(Activity, "ticket", "status", "activity_type")):
    """Each agent's agenda: their activities by date ("assigned to me", a date range)."""

    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=assignee_choices, method="filter_assignee"
    )
    due_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    def filter_assignee(self, queryset, name, value):
        return filter_by_assignee(queryset, value, self.request.user)


class ActivityViewSet(TicketLinkedViewSet):
    model = Activity
    icon = "date"
    menu_label = _("Agenda")
    list_display = [
        "due_at",
        "subject",
        "activity_type",
        "status",
        PersonColumn("assigned_to", label=field_label(Activity, "assigned_to")),
        "ticket",
    ]
    filterset_class = AgendaFilterSet
    ordering = ["due_at"]
    search_fields = ["subject"]

    listing_related = ("assigned_to", "ticket")
