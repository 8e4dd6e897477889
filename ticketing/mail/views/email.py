"""Email in the admin: the composer on a ticket (S13), reading and resending messages."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import InspectView

from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_html import sanitise_email_html
from ticketing.mail.email_templates import EmailTemplateError
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.mail.services.email_out import (
    queue_ticket_email,
    render_email_template,
    resend_email,
    subject_with_token,
)
from ticketing.mail.services.email_review import EmailNotHeld, accept_inbound_email
from ticketing.records.documents import ticket_documents
from ticketing.tickets.views.related import ConfirmForm, TicketRelatedView
from ticketing.tickets.views.urls import ticket_url


class AddressListField(forms.CharField):
    """Comma-separated email addresses, each checked."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for address in value:
            try:
                validate_email(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(address)s” is not a valid email address.") % {"address": address}
                ) from error


class ComposeForm(forms.Form):
    to = AddressListField(label=gettext_lazy("To"))
    cc = AddressListField(label=gettext_lazy("Cc"), required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=900)
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 12}))
    attachments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Chosen among the ticket's documents."),
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = ticket_documents(ticket).all()


class TicketSendEmailView(TicketRelatedView):
    """The composer. Picking a template posts what the agent typed, so that nothing is lost."""

    template_name = "ticketing/ticket/send_email.html"
    form_class = ComposeForm
    page_title = gettext_lazy("Send email")
    header_icon = "mail"

    @cached_property
    def related(self):
        return None

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "ticket": self.ticket}

    def default_subject(self) -> str:
        return subject_with_token(self.ticket, self.ticket.title)

    def get_initial(self) -> dict:
        contact = self.ticket.contact
        initial = {
            "to": contact.email if contact and contact.email else "",
            "subject": self.default_subject(),
            "body": "",
        }
        return with_template(self.request, self.ticket, initial, self.request.GET.get("template"))

    def post(self, request, *args, **kwargs):
        if "insert_template" not in request.POST:
            return super().post(request, *args, **kwargs)
        typed = request.POST
        initial = {
            "to": typed.get("to", ""),
            "cc": typed.get("cc", ""),
            "subject": typed.get("subject", ""),
            "body": typed.get("body", ""),
            "attachments": typed.getlist("attachments"),
        }
        typed_subject = initial["subject"].strip() not in ("", self.default_subject())
        initial = with_template(
            request, self.ticket, initial, typed["insert_template"], keep_subject=typed_subject
        )
        form = self.form_class(initial=initial, ticket=self.ticket)  # unbound: no errors yet
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "email_templates": EmailTemplate.objects.all(),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        queue_ticket_email(
            self.ticket,
            self.request.user,
            to=data["to"],
            cc=data["cc"],
            subject=data["subject"],
            body=data["body"],
            attachments=data["attachments"],
        )
        messages.success(self.request, _("Your email to %(to)s is on its way.") % {
            "to": ", ".join(data["to"])})  # fmt: skip
        return redirect(self.get_success_url())


def with_template(
    request, ticket, initial: dict, template_pk: str | None, *, keep_subject: bool = False
) -> dict:
    """The composer's values with the template inserted after the typed message.

    The subject becomes the template's unless the agent typed one (`keep_subject`). A template
    that cannot be filled in leaves everything as it was and tells the agent why.
    """
    template = (
        EmailTemplate.objects.filter(pk=template_pk).first()
        if template_pk and template_pk.isdigit()
        else None
    )
    if template is None:
        return initial
    try:
        subject, body = render_email_template(template, ticket, request.user)
    except EmailTemplateError as error:
        messages.error(request, _("The template “%(name)s” cannot be used: %(error)s") % {
            "name": template.name, "error": error.message})  # fmt: skip
        return initial
    typed = initial.get("body", "").rstrip()
    return {
        **initial,
        "subject": initial["subject"] if keep_subject else subject_with_token(ticket, subject),
        "body": f"{typed}\n\n{body}" if typed else body,
    }


# Labels of their own: the fields' "from" and "to" share their msgids with the status change's
# "from"/"to" columns, which French reads as "Statut précédent" / "Nouveau statut".
EMAIL_FIELD_LABELS = {
    "from_address": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "attempts": gettext_lazy("Attempts"),
}


class EmailInspectView(InspectView):
    template_name = "ticketing/email_inspect.html"

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
        return buttons


def can_resend(message: EmailMessage, user) -> bool:
    return (
        message.direction == EmailDirection.OUTBOUND
        and message.status == EmailStatus.FAILED
        and message.ticket_id is not None
        and user.has_perm("tickets.change_ticket")
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
        and user.has_perm("tickets.change_ticket")
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
