"""The parties' and the catalogue's admin modules."""

from ticketing.common.views.columns import MoneyColumn, field_label
from ticketing.common.views.viewsets import RecordViewSet
from ticketing.parties.models import Account, Asset, Contact, Product, Vendor


class AccountViewSet(RecordViewSet):
    model = Account
    icon = "group"
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]


class ContactViewSet(RecordViewSet):
    model = Contact
    icon = "user"
    list_display = ["last_name", "first_name", "email", "account"]
    search_fields = ["first_name", "last_name", "email"]

    listing_related = ("account",)


class VendorViewSet(RecordViewSet):
    model = Vendor
    icon = "site"
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]


class AssetViewSet(RecordViewSet):
    model = Asset
    icon = "cogs"
    list_display = ["name", "serial_number", "product", "account"]
    search_fields = ["name", "serial_number"]

    listing_related = ("product", "account")


class ProductViewSet(RecordViewSet):
    model = Product
    icon = "pick"
    list_display = [
        "name",
        "code",
        MoneyColumn("unit_price", label=field_label(Product, "unit_price")),
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "code"]
