"""The mail manager (every email, read-only) and the email templates."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry

from ticketing.common.views.filters import filterset_for
from ticketing.common.views.viewsets import RecordViewSet, VersionedSnippetViewSet
from ticketing.mail.choices import EmailStatus
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.mail.views.email import EMAIL_FIELD_LABELS, EmailInspectView
from ticketing.mail.views.quarantine import ReprocessEmailView


class EmailMessageViewSet(RecordViewSet):
    """The mail manager (S24): every email sent or received, read-only, with its ticket."""

    model = EmailMessage
    icon = "mail"
    menu_label = _("Mail manager")
    inspect_view_class = EmailInspectView
    list_display = [
        "subject", "direction", "status",
        Column("from_address", label=EMAIL_FIELD_LABELS["from_address"], sort_key="from_address"),
        "ticket", "created_at",
    ]  # fmt: skip
    filterset_class = filterset_for(
        EmailMessage, "ticket", "direction", "status", "unknown_sender", "flagged"
    )
    search_fields = ["subject", "from_address", "message_id"]
    inspect_view_fields = [
        "subject", "direction", "status", "from_address", "to", "cc", "ticket", "created_at",
        "sent_at", "attempts", "last_error", "unknown_sender", "accepted_at", "accepted_by",
        "message_id", "text_body", "html_body", "attachments", "raw_message", "bounce_of",
    ]  # fmt: skip

    def get_queryset(self, request):
        emails = EmailMessage.objects.select_related("ticket").defer("text_body", "html_body")
        if not policy_registry.get_by_type(EmailMessage).can_handle_quarantine(request.user):
            emails = emails.exclude(status=EmailStatus.QUARANTINED)  # the managers' to read
        return emails

    def get_urlpatterns(self):
        reprocess = ReprocessEmailView.as_view(viewset=self)
        return [
            *super().get_urlpatterns(),
            path("reprocess/<int:pk>/", reprocess, name="reprocess"),
        ]


class EmailTemplateViewSet(VersionedSnippetViewSet):
    model = EmailTemplate
    icon = "doc-full-inverse"
    list_display = ["name", "subject"]
    search_fields = ["name", "subject"]
