import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.choices import TicketPriority, TicketStatus
from ticketing.forms import AssigneeChoiceField
from ticketing.models import Product, Ticket, TicketCategory
from ticketing.staff import display_name, support_staff

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


def contains(query: str, fields: list[str]) -> Q:
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": query})
    return matches


def has_prefix(query: str, prefix: str) -> bool:
    return query[: len(prefix)].upper() == prefix.upper()


def whole_number(query: str, prefix: str) -> int | None:
    """The integer of a whole number typed as "TT-000042", "tt-42" or "42", else None."""
    digits = query[len(prefix) :] if has_prefix(query, prefix) else query
    if not (digits.isascii() and digits.isdigit()):
        return None
    # "TT-0000" is the start of many numbers, not number zero: leave it to the substring search.
    if digits.startswith("0") and len(digits) < settings.GUICHET_TICKET_NUMBER_PADDING:
        return None
    return int(digits)


class StaffFilter(django_filters.ModelChoiceFilter):
    """A listing filter on a user field: support staff, by name."""

    field_class = AssigneeChoiceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=lambda request: support_staff(), **kwargs)


MINE = "mine"
UNASSIGNED = "unassigned"


def assignee_choices() -> list[tuple[str, str]]:
    people = [(str(user.pk), display_name(user)) for user in support_staff()]
    return [(MINE, _("Assigned to me")), (UNASSIGNED, _("Unassigned")), *people]


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


def filter_by_assignee(queryset: QuerySet, value: str, user) -> QuerySet:
    """ "mine", "unassigned" or a user's id, on any model with an `assigned_to` field."""
    if value == MINE:
        return queryset.filter(assigned_to=user)
    if value == UNASSIGNED:
        return queryset.filter(assigned_to__isnull=True)
    return queryset.filter(assigned_to_id=value)
