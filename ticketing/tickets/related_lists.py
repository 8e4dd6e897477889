"""The ticket's related lists (S16–S27): a registry each app adds its records to.

The tickets app declares no record type: the linked-records and mail apps register theirs
(`register_related_list`) when they start, with the link auditing of their child records
(`link_auditing.audit_child_links`); the detail page, the link and unlink views and the
field history read this one registry.
"""

from dataclasses import dataclass, field
from typing import Literal

from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from wagtail.permissions import policy_registry

ROWS_SHOWN = 5


def model_url(model: type[Model], view: str, *args) -> str:
    """A URL of the model's snippet viewset (its own names, whatever its app)."""
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


@dataclass(frozen=True)
class RelatedList:
    key: str
    label: Promise
    model: type[Model]
    # "create": a child record with a `ticket` foreign key (S16, S21, S26);
    # "select": a record whose `tickets` many-to-many field holds the ticket (S17, S20…).
    kind: Literal["create", "select"]
    # Where the list sits on the ticket's page (the seed's order).
    order: int = 100
    # Only the child records with these values (activities: open ones; history: closed ones).
    filters: dict = field(default_factory=dict)
    # A child record that is chosen rather than created here (S24: emails), or moved over
    # from another ticket.
    choosable_child: bool = False
    # False for a list that fills by itself (the activity history fills by closing activities).
    creatable: bool = True

    @property
    def is_select(self) -> bool:
        return self.kind == "select"

    @property
    def can_link(self) -> bool:
        return self.is_select or self.choosable_child

    def queryset(self, ticket) -> QuerySet:
        if self.is_select:
            return self.model.objects.filter(tickets=ticket)
        return self.model.objects.filter(ticket=ticket, **self.filters)

    def tickets_of(self, record) -> list[int]:
        """The ids of the tickets `record` is in, for this list."""
        if self.is_select:
            return list(record.tickets.values_list("pk", flat=True))
        return [record.ticket_id] if record.ticket_id else []

    def link(self, ticket, record) -> None:
        with transaction.atomic():
            if self.is_select:
                record.tickets.add(ticket)
            else:  # a child record: linking it here moves it from wherever it was
                record.ticket = ticket
                record.save(update_fields=["ticket"])

    def unlink(self, ticket, record) -> None:
        """Remove the link only: the record itself stays, in its own module."""
        with transaction.atomic():
            if self.is_select:
                record.tickets.remove(ticket)
            else:
                record.ticket = None
                record.save(update_fields=["ticket"])

    # What the ticket's page offers; an app overrides these for its own record type.
    def user_may_see(self, user) -> bool:
        policy = policy_registry.get_by_type(self.model)
        return policy.user_has_any_permission(user, ["view", "change"])

    def linkable_records(self, user) -> QuerySet:
        """The records that `user` may see, and so may link to a ticket."""
        if not self.user_may_see(user):
            return self.model.objects.none()
        return self.model.objects.all()

    def record_url(self, record) -> str:
        return model_url(self.model, "edit", quote(record.pk))

    def see_all_url(self, ticket) -> str | None:
        return f"{model_url(self.model, 'list')}?ticket={ticket.pk}"

    def create_url(self, ticket, user, back_url: str) -> str | None:
        policy = policy_registry.get_by_type(self.model)
        if not (self.creatable and policy.user_has_permission(user, "add")):
            return None
        back = urlencode({"ticket": ticket.pk, "next": back_url})
        return f"{model_url(self.model, 'add')}?{back}"

    def extra_context(self, ticket, user) -> dict:
        return {}


_REGISTRY: dict[str, RelatedList] = {}


def register_related_list(related: RelatedList) -> None:
    _REGISTRY[related.key] = related


def related_lists() -> list[RelatedList]:
    return sorted(_REGISTRY.values(), key=lambda related: related.order)


def related_list(key: str) -> RelatedList | None:
    return _REGISTRY.get(key)


def select_list_for_model(model: type[Model]) -> RelatedList | None:
    """The many-to-many list that records of `model` join when created from a ticket."""
    return next((r for r in related_lists() if r.is_select and r.model is model), None)


def child_lists() -> list[RelatedList]:
    """The lists of child records (a `ticket` foreign key), one per model."""
    seen, lists = set(), []
    for related in related_lists():
        if not related.is_select and related.model not in seen:
            seen.add(related.model)
            lists.append(related)
    return lists
