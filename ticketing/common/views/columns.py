from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column

from ticketing.common.formats import DEFAULT_CURRENCY, format_decimal, format_money
from ticketing.common.people import display_name


class PersonColumn(Column):
    """A user field shown as the person's name, sorted by it (usernames are not names)."""

    def __init__(self, name: str, **kwargs) -> None:
        kwargs.setdefault("sort_key", f"{name}__last_name")
        kwargs.setdefault("accessor", lambda instance: display_name(getattr(instance, name)))
        super().__init__(name, **kwargs)


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
