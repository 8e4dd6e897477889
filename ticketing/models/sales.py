"""Sales: quotes (S23) and sales orders (S22)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ticketing.choices import QuoteStatus, SalesOrderStatus
from ticketing.models.numbered import AutoNumbered
from ticketing.models.versioned import Versioned


class SalesDocument(Versioned, AutoNumbered):
    subject = models.CharField(_("subject"), max_length=255)
    account = models.ForeignKey(
        "ticketing.Account",
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

    class Meta(SalesDocument.Meta):
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
