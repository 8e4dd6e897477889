from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.common.formats import format_money
from ticketing.common.versioned import Versioned
from ticketing.tickets.models import ticket_link, ticket_links


class Service(Versioned):
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. hour, visit"))
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    tickets = ticket_links(related_name="services")

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class Expense(Versioned):
    date = models.DateField(_("date"), default=timezone.localdate)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=255)
    spent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("spent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ticket = ticket_link(related_name="expenses")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.description} ({format_money(self.amount, self.currency)})"
