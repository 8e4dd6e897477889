from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from ticketing.forms import RecordForm, TicketForm
from ticketing.models import Ticket
from ticketing.views.choosers import PermissionCheckedChooserViewSet
from ticketing.views.columns import TICKET_LIST_DISPLAY
from ticketing.views.email import AcceptEmailView, ResendEmailView, TicketSendEmailView
from ticketing.views.faq import TicketConvertToFAQView
from ticketing.views.filters import TICKET_SEARCH_FIELDS, TicketFilterSet
from ticketing.views.history import TicketFieldHistoryView
from ticketing.views.listing import GuichetIndexView
from ticketing.views.related import (
    CloseActivityView,
    TicketDocumentUploadView,
    TicketLinkView,
    TicketUnlinkView,
)
from ticketing.views.tickets import (
    TicketCreateView,
    TicketEditView,
    TicketIndexView,
    TicketInspectView,
)
from ticketing.views.transitions import TicketTransitionView


class GuichetSnippetViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    index_view_class = GuichetIndexView
    copy_view_enabled = False
    # Foreign keys the listing shows: loaded with the rows, so that its queries stay constant.
    listing_related: tuple[str, ...] = ()

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        # A bound copy of the viewset's own: user pickers of every record offer staff by name.
        if edit_handler.base_form_class is None:
            edit_handler.base_form_class = RecordForm
        return edit_handler

    @property
    def breadcrumbs_items(self) -> list[dict]:
        # Wagtail's "Home" is translated at startup, in English: a lazy one is read per request.
        home, *others = super().breadcrumbs_items
        return [{**home, "label": _("Home")}, *others]

    def get_queryset(self, request):
        if self.listing_related:
            return self.model.objects.select_related(*self.listing_related)
        return None  # Wagtail's default queryset


class TicketViewSet(GuichetSnippetViewSet):
    model = Ticket
    url_namespace = "ticketing_ticket"
    icon = "help"
    menu_label = _("Tickets")
    menu_order = 100
    index_view_class = TicketIndexView
    add_view_class = TicketCreateView
    edit_view_class = TicketEditView
    inspect_view_class = TicketInspectView
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
    filterset_class = TicketFilterSet
    # Tickets are not search-indexed, so Wagtail searches with the ORM (icontains): the same
    # results on SQLite and PostgreSQL, and no index to keep in step with bulk changes.
    search_fields = TICKET_SEARCH_FIELDS
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
        return Ticket.objects.select_related(
            "category", "assigned_to", "account", "contact", "vendor", "asset", "product"
        ).defer("description")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "transition/<int:pk>/<slug:transition>/",
                TicketTransitionView.as_view(),
                name="transition",
            ),
            path(
                "field-history/<int:pk>/",
                TicketFieldHistoryView.as_view(),
                name="field_history",
            ),
            path("link/<int:pk>/<slug:key>/", TicketLinkView.as_view(), name="link"),
            path(
                "unlink/<int:pk>/<slug:key>/<int:record_pk>/",
                TicketUnlinkView.as_view(),
                name="unlink",
            ),
            path(
                "upload-document/<int:pk>/",
                TicketDocumentUploadView.as_view(),
                name="upload_document",
            ),
            path(
                "close-activity/<int:pk>/<int:activity_pk>/",
                CloseActivityView.as_view(),
                name="close_activity",
            ),
            path("send-email/<int:pk>/", TicketSendEmailView.as_view(), name="send_email"),
            path(
                "convert-to-faq/<int:pk>/",
                TicketConvertToFAQView.as_view(),
                name="convert_to_faq",
            ),
            path(
                "resend-email/<int:pk>/<int:email_pk>/",
                ResendEmailView.as_view(),
                name="resend_email",
            ),
            path(
                "accept-email/<int:pk>/<int:email_pk>/",
                AcceptEmailView.as_view(),
                name="accept_email",
            ),
        ]
