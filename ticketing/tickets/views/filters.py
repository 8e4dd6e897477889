"""The ticket listing's filters and its search."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.common.views.filters import (
    assignee_choices,
    contains,
    filter_by_assignee,
    has_prefix,
    whole_number,
)
from ticketing.parties.models import Product
from ticketing.tickets.choices import TicketPriority, TicketStatus
from ticketing.tickets.models import Ticket, TicketCategory

TICKET_SEARCH_FIELDS = ["number", "title", "description"]


def search_tickets(tickets: QuerySet, query: str) -> QuerySet:
    """Tickets whose number, title or description contain `query` (any case).

    A whole ticket number ("TT-000042", "tt-42") goes straight to the unique index of the
    number's integer: a substring search would walk the whole table to find the one row. Bare
    digits ("42") may be a number or words of a title ("error 404"): both are found.
    """
    query = query.strip()
    prefix = settings.GUICHET_TICKET_NUMBER_PREFIX
    sequence = whole_number(query, prefix)
    if sequence is not None and has_prefix(query, prefix):
        return tickets.filter(sequence=sequence)
    if sequence is not None:
        return tickets.filter(Q(sequence=sequence) | contains(query, ["title", "description"]))
    return tickets.filter(contains(query, TICKET_SEARCH_FIELDS))


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
