"""The ticket listing's filters (its search is TicketQuerySet.search)."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.common.views.filters import assignee_choices, filter_by_assignee
from ticketing.parties.models import Product
from ticketing.tickets.choices import TicketPriority, TicketStatus
from ticketing.tickets.models import Ticket, TicketCategory


class TicketFilterSet(WagtailFilterSet):
    # Columns of the ticket itself cannot duplicate rows: no DISTINCT over the listing's joins.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=TicketStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"),
        choices=TicketPriority.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
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
        return filter_by_assignee(queryset, value, self.request.user)
