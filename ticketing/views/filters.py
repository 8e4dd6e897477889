import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.choices import TicketPriority, TicketStatus
from ticketing.models import Product, Ticket, TicketCategory
from ticketing.staff import display_name, support_staff

TICKET_SEARCH_FIELDS = ["number", "title", "description"]
MINE = "mine"
UNASSIGNED = "unassigned"


def assignee_choices() -> list[tuple[str, str]]:
    people = [(str(user.pk), display_name(user)) for user in support_staff()]
    return [(MINE, _("Assigned to me")), (UNASSIGNED, _("Unassigned")), *people]


class TicketFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=TicketStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"), choices=TicketPriority.choices, widget=forms.CheckboxSelectMultiple
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=TicketCategory.objects.all()
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=assignee_choices, method="filter_assignee"
    )
    # The catalogue's active products, not the ticket table: the choice list stays small.
    product = django_filters.ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.filter(active=True)
    )

    class Meta:
        model = Ticket
        fields = ["status", "priority", "category", "assignee", "product"]

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == MINE:
            return queryset.filter(assigned_to=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=value)
