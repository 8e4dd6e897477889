from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from ticketing.common.views.viewsets import GuichetSnippetViewSet, VersionedSnippetViewSet
from ticketing.tickets.extensions import extra_urls
from ticketing.tickets.forms import TicketForm
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.tickets.querysets import SEARCH_FIELDS
from ticketing.tickets.views.columns import TICKET_LIST_DISPLAY
from ticketing.tickets.views.filters import TicketFilterSet
from ticketing.tickets.views.related import TicketLinkView, TicketUnlinkView
from ticketing.tickets.views.tickets import (
    TicketCreateView,
    TicketDeleteView,
    TicketEditView,
    TicketHistoryView,
    TicketIndexView,
    TicketInspectView,
    TicketUsageView,
)
from ticketing.tickets.views.timeline import FieldHistoryRedirectView
from ticketing.tickets.views.transitions import TicketTransitionView
from ticketing.tickets.views.urls import NAMESPACE


class TicketViewSet(GuichetSnippetViewSet):
    model = Ticket
    url_namespace = NAMESPACE
    icon = "help"
    menu_label = _("Tickets")
    menu_order = 100
    index_view_class = TicketIndexView
    add_view_class = TicketCreateView
    edit_view_class = TicketEditView
    inspect_view_class = TicketInspectView
    delete_view_class = TicketDeleteView
    history_view_class = TicketHistoryView
    usage_view_class = TicketUsageView
    inspect_view_enabled = True
    inspect_view_fields = [
        "number",
        "title",
        "status",
        "priority",
        "category",
        "assigned_to",
        "product",
        "account",
        "contact",
        "vendor",
        "asset",
        "description",
        "solution",
        "created_by",
        "created_at",
        "updated_at",
        "closed_at",
        "faq_page",
    ]
    list_display = TICKET_LIST_DISPLAY
    # Wagtail's results, with what other apps put above them (extensions.py): the AJAX
    # refresh after a filter change renders them again, with the new filters.
    index_results_template_name = "ticketing/ticket/index_results.html"
    filterset_class = TicketFilterSet
    # Tickets are not search-indexed: the index view searches with TicketQuerySet.search.
    search_fields = SEARCH_FIELDS
    ordering = ["-sequence"]
    list_per_page = 50
    list_export = [
        "number",
        "title",
        "get_status_display",
        "get_priority_display",
        "category",
        "assigned_to",
        "related_to",
        "product",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    export_headings = {
        "number": _("Ticket no."),
        "title": _("Title"),
        "get_status_display": _("Status"),
        "get_priority_display": _("Priority"),
        "category": _("Category"),
        "assigned_to": _("Assigned to"),
        "related_to": _("Related to"),
        "product": _("Product"),
        "created_at": _("Created"),
        "updated_at": _("Last update"),
        "closed_at": _("Closed"),
    }
    export_filename = "tickets"
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("priority"), FieldPanel("category", widget=forms.Select)]),
            FieldPanel("assigned_to"),
            MultiFieldPanel(
                [
                    FieldPanel("account"),
                    FieldPanel("contact"),
                    FieldPanel("vendor"),
                    FieldPanel("asset"),
                ],
                heading=_("Related to"),
            ),
            FieldPanel("product"),
            FieldPanel("description"),
            FieldPanel("solution"),
        ],
        base_form_class=TicketForm,
    )

    def get_queryset(self, request):
        # The listing, its search and its exports: only the tickets the user may see.
        return Ticket.objects.visible_to(request.user).for_listing()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "transition/<int:pk>/<slug:transition>/",
                TicketTransitionView.as_view(),
                name="transition",
            ),
            # Where the field history was: its changes are on the ticket's timeline now.
            path(
                "field-history/<int:pk>/",
                FieldHistoryRedirectView.as_view(),
                name="field_history",
            ),
            path("link/<int:pk>/<slug:key>/", TicketLinkView.as_view(), name="link"),
            path(
                "unlink/<int:pk>/<slug:key>/<int:record_pk>/",
                TicketUnlinkView.as_view(),
                name="unlink",
            ),
            *extra_urls(),
        ]


class TicketCategoryViewSet(VersionedSnippetViewSet):
    model = TicketCategory
    icon = "tag"
    menu_label = _("Ticket categories")
    list_display = ["name", "name_fr", "active"]
    list_filter = ["active"]
    search_fields = ["name", "name_fr"]
