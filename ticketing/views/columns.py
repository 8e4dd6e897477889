from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn

from ticketing.choices import TicketStatus
from ticketing.formats import DEFAULT_CURRENCY, format_decimal, format_money
from ticketing.staff import display_name


class PersonColumn(Column):
    """A user field shown as the person's name, sorted by it (usernames are not names)."""

    def __init__(self, name: str, **kwargs) -> None:
        kwargs.setdefault("sort_key", f"{name}__last_name")
        kwargs.setdefault("accessor", lambda instance: display_name(getattr(instance, name)))
        super().__init__(name, **kwargs)


# The first two are plain field names so that Wagtail links the number to the ticket and makes
# both sortable; the others show labels, not stored values.
TICKET_LIST_DISPLAY = [
    "number",
    "title",
    StatusTagColumn(
        "status",
        label=_("Status"),
        accessor="get_status_display",
        sort_key="status",
        primary=lambda ticket: ticket.status != TicketStatus.CLOSED,
    ),
    Column("priority", label=_("Priority"), accessor="get_priority_display", sort_key="priority"),
    Column("category", label=_("Category"), sort_key="category__name"),
    PersonColumn("assigned_to", label=_("Assigned to"), sort_key="assigned_to__username"),
    Column("related_to", label=_("Related to")),
    DateColumn("updated_at", label=_("Last update"), sort_key="updated_at"),
]


class DecimalColumn(Column):
    """A decimal field, localized and grouped (Wagtail shows 1234.50 even in French)."""

    def __init__(self, name: str, **kwargs) -> None:
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)

    def get_value(self, instance) -> str:
        return format_decimal(super().get_value(instance))


class MoneyColumn(DecimalColumn):
    """An amount with its currency: the record's `currency_field`, else the default currency."""

    def __init__(self, name: str, currency_field: str | None = None, **kwargs) -> None:
        self.currency_field = currency_field
        super().__init__(name, **kwargs)

    def get_value(self, instance) -> str:
        currency = getattr(instance, self.currency_field) if self.currency_field else None
        return format_money(Column.get_value(self, instance), currency or DEFAULT_CURRENCY)


def field_label(model, field_name: str) -> str:
    return capfirst(model._meta.get_field(field_name).verbose_name)
