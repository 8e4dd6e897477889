"""The admin menus, named as in the seed: every app's modules, grouped for the people using them."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from ticketing.mail.views.viewsets import EmailMessageViewSet, EmailTemplateViewSet
from ticketing.parties.views import (
    AccountViewSet,
    AssetViewSet,
    ContactViewSet,
    ProductViewSet,
    VendorViewSet,
)
from ticketing.records.views.viewsets import (
    ActivityViewSet,
    ExpenseViewSet,
    ProjectViewSet,
    QuoteViewSet,
    SalesOrderViewSet,
    ServiceContractViewSet,
    ServiceViewSet,
    TimesheetViewSet,
)
from ticketing.tickets.views.viewsets import TicketCategoryViewSet, TicketViewSet


class CRMViewSetGroup(SnippetViewSetGroup):
    menu_label = _("CRM")
    menu_icon = "folder-open-inverse"
    menu_name = "crm"
    menu_order = 200
    items = (
        TicketViewSet,
        TicketCategoryViewSet,
        AccountViewSet,
        ContactViewSet,
        VendorViewSet,
        AssetViewSet,
        ServiceContractViewSet,
    )


class SalesViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Sales")
    menu_icon = "doc-full-inverse"
    menu_name = "sales"
    menu_order = 210
    items = (QuoteViewSet, SalesOrderViewSet)


class PurchasingViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Purchasing & Stock")
    menu_icon = "pick"
    menu_name = "purchasing"
    menu_order = 220
    items = (ProductViewSet, ServiceViewSet, ExpenseViewSet)


class ProjectsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Projects")
    menu_icon = "folder-inverse"
    menu_name = "projects"
    menu_order = 230
    items = (ProjectViewSet, TimesheetViewSet)


class MyHubViewSetGroup(SnippetViewSetGroup):
    menu_label = _("My Hub")
    menu_icon = "home"
    menu_name = "my-hub"
    menu_order = 240
    items = (ActivityViewSet, EmailMessageViewSet, EmailTemplateViewSet)


MENU_GROUPS = [
    CRMViewSetGroup,
    SalesViewSetGroup,
    PurchasingViewSetGroup,
    ProjectsViewSetGroup,
    MyHubViewSetGroup,
]
