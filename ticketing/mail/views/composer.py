"""The composer on a ticket (S13): an email to the customer, templates inserted as typed.

`?reply_to=<email>&mode=reply|reply_all|forward` starts from one of the ticket's emails (the
conversation's buttons), and the reply is threaded under it. "Send and wait for response" and
"Send and close" send first, then change the status: a refused transition never loses the email.
"""

from django import forms
from django.contrib import messages
from django.core.validators import validate_email
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ticketing.mail.email_templates import EmailTemplateError
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.mail.replies import MODES, REPLY, reply_initial
from ticketing.mail.services.email_out import (
    queue_ticket_email,
    render_email_template,
    subject_with_token,
)
from ticketing.records.documents import ticket_documents
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.services.transitions import TransitionRefused, apply_transition
from ticketing.tickets.views.related import TicketRelatedView


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
    # The ticket's email this one answers or forwards: its thread headers follow it.
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

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
        answered = self.answered_email(self.request.GET.get("reply_to"))
        if answered is not None:
            mode = self.request.GET.get("mode")
            initial = reply_initial(self.ticket, answered, mode if mode in MODES else REPLY)
        else:
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
            "reply_to": typed.get("reply_to", ""),
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

    def answered_email(self, pk) -> EmailMessage | None:
        """One of this ticket's emails (never another ticket's, whatever the URL says)."""
        if not str(pk or "").isdigit():
            return None
        return self.ticket.emails.filter(pk=pk).prefetch_related("attachments").first()

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
            reply_to=self.answered_email(data.get("reply_to")),
        )
        messages.success(self.request, _("Your email to %(to)s is on its way.") % {
            "to": ", ".join(data["to"])})  # fmt: skip
        self.then_set_status(self.request.POST.get("then", ""))
        return redirect(self.get_success_url())

    def then_set_status(self, then: str) -> None:
        """After "Send and …": the status change, or why it could not be made (the email is
        sent either way)."""
        if then not in ("wait_for_response", "close"):
            return
        steps = [then]
        if then == "wait_for_response" and self.ticket.status == TicketStatus.OPEN:
            steps = ["start", then]  # waiting follows work started: both, as the agent meant
        ticket = self.ticket
        try:
            for name in steps:
                ticket = apply_transition(ticket, name, self.request.user)
        except TransitionRefused as refused:
            messages.warning(self.request, _("The status was not changed: %(reason)s") % {
                "reason": refused})  # fmt: skip
            return
        messages.success(self.request, _("Ticket “%(ticket)s” is now “%(status)s” (%(step)s).") % {
            "ticket": ticket, "status": ticket.get_status_display(),
            "step": TRANSITIONS[then].label})  # fmt: skip


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
    typed, quote = split_at_quote(initial.get("body", ""))
    typed = typed.rstrip()
    text = f"{typed}\n\n{body}" if typed else body
    return {
        **initial,
        "subject": initial["subject"] if keep_subject else subject_with_token(ticket, subject),
        "body": f"{text}\n\n{quote}" if quote else text,
    }


def split_at_quote(body: str) -> tuple[str, str]:
    """What the agent wrote, and the quoted message below it (from its "… wrote:" line): a
    template goes between them, where the agent writes, not under the customer's old words."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(">"):
            start = index - 1 if index and lines[index - 1].rstrip().endswith(":") else index
            return "\n".join(lines[:start]), "\n".join(lines[start:]).strip()
    return body, ""
