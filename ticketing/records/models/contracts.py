from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ticketing.common.numbering import AutoNumbered
from ticketing.common.versioned import Versioned
from ticketing.records.choices import ContractStatus, TrackingUnit
from ticketing.tickets.models import ticket_links


class ServiceContract(Versioned, AutoNumbered):
    """Support bought in hours, days or incidents (S27); used units follow the linked tickets."""

    number_sequence = "servicecontract"

    subject = models.CharField(_("subject"), max_length=255)
    account = models.ForeignKey(
        "parties.Account",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_contracts",
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    tracking_unit = models.CharField(
        _("tracking unit"),
        max_length=10,
        choices=TrackingUnit.choices,
        default=TrackingUnit.INCIDENTS,
    )
    total_units = models.DecimalField(
        _("total units"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    used_units = models.DecimalField(
        _("used units"), max_digits=10, decimal_places=2, default=0, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )

    tickets = ticket_links(related_name="service_contracts")

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_over(self) -> bool:
        return self.used_units > self.total_units

    is_over.fget.short_description = _("over its total")
