"""The records a ticket links to, each in the admin menu the seed names."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import EditView, SnippetViewSetGroup

from ticketing.edit_conflicts import EditConflictViewMixin, with_edit_conflict_check
from ticketing.models import (
    Account,
    Activity,
    Asset,
    Contact,
    EmailMessage,
    EmailTemplate,
    Expense,
    Product,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    TicketCategory,
    Timesheet,
    Vendor,
    Versioned,
)
from ticketing.views.columns import DecimalColumn, MoneyColumn, PersonColumn, field_label
from ticketing.views.email import EMAIL_FIELD_LABELS, EmailInspectView
from ticketing.views.filters import StaffFilter, assignee_choices, filter_by_assignee
from ticketing.views.related import RecordInspectView, TicketLinkedCreateView
from ticketing.views.viewsets import GuichetSnippetViewSet, TicketViewSet


def filterset_for(model, ticket_field: str, *fields: str) -> type[WagtailFilterSet]:
    """A listing filter with `?ticket=<pk>`: where a ticket's "see all" link lands."""
    people = {
        name: StaffFilter(label=capfirst(field.verbose_name))
        for name in fields
        if (field := model._meta.get_field(name)).related_model is get_user_model()
    }
    return type(
        f"{model.__name__}FilterSet",
        (WagtailFilterSet,),
        {
            "ticket": django_filters.NumberFilter(
                field_name=ticket_field, label=_("Ticket (ID)"), distinct=False
            ),
            **people,
            "Meta": type("Meta", (), {"model": model, "fields": list(fields)}),
        },
    )


class RecordEditView(EditConflictViewMixin, EditView):
    pass


class VersionedSnippetViewSet(GuichetSnippetViewSet):
    """An editable record: its edit form refuses to overwrite a save made since it was loaded."""

    edit_view_class = RecordEditView

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        if issubclass(self.model, Versioned):
            base = edit_handler.base_form_class or getattr(
                self.model, "base_form_class", WagtailAdminModelForm
            )
            edit_handler.base_form_class = with_edit_conflict_check(base)
        return edit_handler


class RecordViewSet(VersionedSnippetViewSet):
    """A record's admin module; its detail page lists the tickets it is linked to."""

    inspect_view_enabled = True
    inspect_view_class = RecordInspectView


class TicketLinkedViewSet(RecordViewSet):
    """Records that can be created from a ticket's related list, linked to it."""

    add_view_class = TicketLinkedCreateView


class TicketCategoryViewSet(VersionedSnippetViewSet):
    model = TicketCategory
    icon = "tag"
    menu_label = _("Ticket categories")
    list_display = ["name", "name_fr", "active"]
    list_filter = ["active"]
    search_fields = ["name", "name_fr"]


class AccountViewSet(RecordViewSet):
    model = Account
    icon = "group"
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]


class ContactViewSet(RecordViewSet):
    model = Contact
    icon = "user"
    list_display = ["last_name", "first_name", "email", "account"]
    search_fields = ["first_name", "last_name", "email"]

    listing_related = ("account",)


class VendorViewSet(RecordViewSet):
    model = Vendor
    icon = "site"
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]


class AssetViewSet(RecordViewSet):
    model = Asset
    icon = "cogs"
    list_display = ["name", "serial_number", "product", "account"]
    search_fields = ["name", "serial_number"]

    listing_related = ("product", "account")


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


class ProductViewSet(RecordViewSet):
    model = Product
    icon = "pick"
    list_display = [
        "name",
        "code",
        MoneyColumn("unit_price", label=field_label(Product, "unit_price")),
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "code"]


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


class EmailMessageViewSet(RecordViewSet):
    """The mail manager (S24): every email sent or received, read-only, with its ticket."""

    model = EmailMessage
    icon = "mail"
    menu_label = _("Mail manager")
    inspect_view_class = EmailInspectView
    list_display = [
        "subject", "direction", "status",
        Column("from_address", label=EMAIL_FIELD_LABELS["from_address"], sort_key="from_address"),
        "ticket", "created_at",
    ]  # fmt: skip
    filterset_class = filterset_for(
        EmailMessage, "ticket", "direction", "status", "unknown_sender", "flagged"
    )
    search_fields = ["subject", "from_address", "message_id"]
    inspect_view_fields = [
        "subject", "direction", "status", "from_address", "to", "cc", "ticket", "created_at",
        "sent_at", "attempts", "last_error", "unknown_sender", "accepted_at", "accepted_by",
        "message_id", "text_body", "html_body", "attachments", "raw_message",
    ]  # fmt: skip

    def get_queryset(self, request):
        return EmailMessage.objects.select_related("ticket").defer("text_body", "html_body")


class EmailTemplateViewSet(VersionedSnippetViewSet):
    model = EmailTemplate
    icon = "doc-full-inverse"
    list_display = ["name", "subject"]
    search_fields = ["name", "subject"]


class CRMViewSetGroup(SnippetViewSetGroup):
    menu_label = _("CRM")
    menu_icon = "folder-open-inverse"
    menu_name = "crm"
    menu_order = 200
    items = (
        TicketViewSet,
        TicketCategoryViewSet,
        AccountViewSet,
        ContactViewSet,
        VendorViewSet,
        AssetViewSet,
        ServiceContractViewSet,
    )


class SalesViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Sales")
    menu_icon = "doc-full-inverse"
    menu_name = "sales"
    menu_order = 210
    items = (QuoteViewSet, SalesOrderViewSet)


class PurchasingViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Purchasing & Stock")
    menu_icon = "pick"
    menu_name = "purchasing"
    menu_order = 220
    items = (ProductViewSet, ServiceViewSet, ExpenseViewSet)


class ProjectsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Projects")
    menu_icon = "folder-inverse"
    menu_name = "projects"
    menu_order = 230
    items = (ProjectViewSet, TimesheetViewSet)


class MyHubViewSetGroup(SnippetViewSetGroup):
    menu_label = _("My Hub")
    menu_icon = "home"
    menu_name = "my-hub"
    menu_order = 240
    items = (ActivityViewSet, EmailMessageViewSet, EmailTemplateViewSet)


MENU_GROUPS = [
    CRMViewSetGroup,
    SalesViewSetGroup,
    PurchasingViewSetGroup,
    ProjectsViewSetGroup,
    MyHubViewSetGroup,
]
