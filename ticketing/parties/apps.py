from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Accounts, contacts, vendors, assets and products: who and what a ticket is about."""

    name = "ticketing.parties"
    label = "parties"
    verbose_name = _("Parties and catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from ticketing.parties.models import Account, Asset, Contact, Product, Vendor

        for model in (Account, Contact, Vendor, Asset, Product):
            register_permission_policy(model)
