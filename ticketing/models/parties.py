"""The parties a ticket can be about (S4): accounts, contacts, vendors and assets."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ticketing.choices import AssetStatus, ContractStatus, TrackingUnit
from ticketing.models.numbered import AutoNumbered
from ticketing.models.versioned import Versioned


class Account(Versioned):
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.name


class Contact(Versioned):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Vendor(Versioned):
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name


class Asset(Versioned):
    name = models.CharField(_("name"), max_length=255)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    product = models.ForeignKey(
        "ticketing.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_SERVICE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.name} ({self.serial_number})" if self.serial_number else self.name


class ServiceContract(Versioned, AutoNumbered):
    """Support bought in hours, days or incidents (S27); used units follow the linked tickets."""

    number_sequence = "servicecontract"

    subject = models.CharField(_("subject"), max_length=255)
    account = models.ForeignKey(
        Account,
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
