"""An email's page in the admin: reading it safely, resending it, accepting a held one."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import InspectView

from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_html import sanitise_email_html
from ticketing.mail.models import EmailMessage
from ticketing.mail.permissions import can_reprocess
from ticketing.mail.services.email_out import (
    resend_email,
)
from ticketing.mail.services.email_review import EmailNotHeld, accept_inbound_email
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.related import ConfirmForm, TicketRelatedView
from ticketing.tickets.views.urls import ticket_url

# Labels of their own: the fields' "from" and "to" share their msgids with the status change's
# "from"/"to" columns, which French reads as "Statut précédent" / "Nouveau statut".
EMAIL_FIELD_LABELS = {
    "from_address": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "attempts": gettext_lazy("Attempts"),
}


class EmailInspectView(InspectView):
    template_name = "ticketing/email_inspect.html"

    def get_object(self, queryset=None):
        email = super().get_object(queryset)
        policy = policy_registry.get_by_type(EmailMessage)
        if not policy.user_has_permission_for_instance(self.request.user, "view", email):
            raise PermissionDenied  # a quarantined email is the managers' to read
        return email

    def get_field_label(self, field_name, field):
        if field_name in EMAIL_FIELD_LABELS:
            return EMAIL_FIELD_LABELS[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # Wagtail's inspect template formats datetimes without converting them (UTC).
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value

    def get_to_display_value(self) -> str:
        return ", ".join(self.object.to) or "—"

    def get_cc_display_value(self) -> str:
        return ", ".join(self.object.cc) or "—"

    def get_text_body_display_value(self):
        return linebreaksbr(self.object.text_body)  # escapes the text, keeps its lines

    def get_unknown_sender_display_value(self) -> str:
        return _("Yes") if self.object.unknown_sender else _("No")

    def get_html_body_display_value(self):
        # Sanitised when stored, and again here: nothing in an email runs in the admin.
        return mark_safe(sanitise_email_html(self.object.html_body))  # noqa: S308

    def get_raw_message_display_value(self):
        document = self.object.raw_message
        if document is None:
            return "—"
        return format_html('<a href="{}">{}</a>', document.url, document.title)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if can_accept(self.object, self.request.user):
            context["accept_url"] = reverse_accept(self.object)
        return context

    @cached_property
    def header_buttons(self) -> list:
        buttons = []
        if can_resend(self.object, self.request.user):
            url = reverse_resend(self.object)
            buttons.append(
                HeaderButton(_("Send again"), url=url, icon_name="resubmit", priority=10)
            )
        if can_accept(self.object, self.request.user):
            url = reverse_accept(self.object)
            buttons.append(HeaderButton(_("Accept"), url=url, icon_name="check", priority=20))
        if can_reprocess(self.object, self.request.user):
            url = reverse(
                EmailMessage.snippet_viewset.get_url_name("reprocess"), args=[self.object.pk]
            )
            buttons.append(HeaderButton(_("Reprocess"), url=url, icon_name="resubmit", priority=30))
        return buttons


def can_resend(message: EmailMessage, user) -> bool:
    return (
        message.direction == EmailDirection.OUTBOUND
        and message.status == EmailStatus.FAILED
        and message.ticket_id is not None
        and policy_registry.get_by_type(Ticket).user_has_permission(user, "change")
    )


def reverse_resend(message: EmailMessage) -> str:
    return ticket_url("resend_email", message.ticket_id, message.pk)


class TicketEmailActionView(TicketRelatedView):
    """A confirmation page for one email of the ticket; `allowed` says who may confirm it."""

    form_class = ConfirmForm

    @staticmethod
    def allowed(message: EmailMessage, user) -> bool:
        raise NotImplementedError

    @cached_property
    def related(self):
        return None

    @cached_property
    def message(self) -> EmailMessage:
        message = get_object_or_404(EmailMessage, pk=self.kwargs["email_pk"], ticket=self.ticket)
        if not self.allowed(message, self.request.user):
            raise PermissionDenied
        return message

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "message": self.message}


class ResendEmailView(TicketEmailActionView):
    template_name = "ticketing/ticket/resend_email.html"
    page_title = gettext_lazy("Send again")
    allowed = staticmethod(can_resend)

    def form_valid(self, form):
        resend_email(self.message)
        messages.success(self.request, _("“%(subject)s” is queued again.") % {
            "subject": self.message.subject})  # fmt: skip
        return redirect(self.get_success_url())


def can_accept(message: EmailMessage, user) -> bool:
    return (
        message.direction == EmailDirection.INBOUND
        and message.held
        and message.ticket_id is not None
        and policy_registry.get_by_type(Ticket).user_has_permission(user, "change")
    )


def reverse_accept(message: EmailMessage) -> str:
    return ticket_url("accept_email", message.ticket_id, message.pk)


class AcceptEmailView(TicketEmailActionView):
    """Confirm, then take in a held email: its attachments join the ticket, its sender is known."""

    template_name = "ticketing/ticket/accept_email.html"
    page_title = gettext_lazy("Accept the email")
    header_icon = "check"
    allowed = staticmethod(can_accept)

    def form_valid(self, form):
        try:
            accept_inbound_email(self.message, self.request.user)
        except EmailNotHeld:
            messages.warning(self.request, _("This email was accepted already."))
        else:
            messages.success(self.request, _("“%(subject)s” from %(sender)s is accepted.") % {
                "subject": self.message.subject, "sender": self.message.from_address})  # fmt: skip
        return redirect(self.get_success_url())
