"""Listing filters shared by every record's admin module."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ticketing.common.forms import AssigneeChoiceField
from ticketing.common.people import display_name, support_staff


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


def filter_by_assignee(queryset: QuerySet, value: str, user) -> QuerySet:
    """ "mine", "unassigned" or a user's id, on any model with an `assigned_to` field."""
    if value == MINE:
        return queryset.filter(assigned_to=user)
    if value == UNASSIGNED:
        return queryset.filter(assigned_to__isnull=True)
    return queryset.filter(assigned_to_id=value)


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
