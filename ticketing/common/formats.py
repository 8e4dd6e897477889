"""Numbers and money as the reader writes them (1 234,50 € in French, €1,234.50 in English)."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import pgettext

# Quotes, sales orders and prices carry no currency of their own: the help desk's currency.
DEFAULT_CURRENCY = getattr(settings, "GUICHET_CURRENCY", "EUR")
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def format_decimal(value: Decimal | None, places: int = 2) -> str:
    """A number as the reader writes it: 1 234,50 in French, 1,234.50 in English."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_money(amount: Decimal | None, currency: str = DEFAULT_CURRENCY) -> str:
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    # Translators put the symbol where their language does: "1 234,50 €", "€1,234.50".
    return pgettext("money amount", "%(symbol)s%(amount)s") % {
        "symbol": symbol,
        "amount": format_decimal(amount),
    }
