"""Sales: quotes (S23) and sales orders (S22)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.common.numbering import AutoNumbered
from ticketing.common.versioned import Versioned
from ticketing.records.choices import QuoteStatus, SalesOrderStatus
from ticketing.tickets.models import ticket_links


class SalesDocument(Versioned, AutoNumbered):
    subject = models.CharField(_("subject"), max_length=255)
    account = models.ForeignKey(
        "parties.Account",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total = models.DecimalField(
        _("total"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    date = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        abstract = True
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class Quote(SalesDocument):
    number_sequence = "quote"
    status = models.CharField(
        _("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )

    tickets = ticket_links(related_name="quotes")

    class Meta(SalesDocument.Meta):
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")


class SalesOrder(SalesDocument):
    number_sequence = "salesorder"
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SalesOrderStatus.choices,
        default=SalesOrderStatus.CREATED,
    )

    tickets = ticket_links(related_name="sales_orders")

    class Meta(SalesDocument.Meta):
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
