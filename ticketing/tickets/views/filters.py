"""The ticket listing's filters (its search is TicketQuerySet.search)."""

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.common.views.filters import assignee_choices, filter_by_assignee
from ticketing.parties.models import Product
from ticketing.tickets.choices import LastMessage, TicketPriority, TicketStatus
from ticketing.tickets.models import Ticket, TicketCategory

# "Updated in the last …": the home's "recently updated" links here.
UPDATED_WITHIN = [("day", _("In the last 24 hours")), ("week", _("In the last 7 days"))]
UPDATED_SPANS = {"day": datetime.timedelta(days=1), "week": datetime.timedelta(days=7)}


def updated_since(span: str) -> datetime.datetime:
    return timezone.now() - UPDATED_SPANS[span]


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

    last_message = django_filters.ChoiceFilter(
        label=_("Last message from"),
        choices=LastMessage.choices,
        field_name="last_message_direction",
        distinct=False,
    )
    updated = django_filters.ChoiceFilter(
        label=_("Updated"), choices=UPDATED_WITHIN, method="filter_updated"
    )

    class Meta:
        model = Ticket
        fields = [
            "status",
            "priority",
            "category",
            "assignee",
            "product",
            "last_message",
            "updated",
        ]

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_by_assignee(queryset, value, self.request.user)

    def filter_updated(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(updated_at__gte=updated_since(value))
