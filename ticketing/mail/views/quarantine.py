"""The quarantine in the mail manager: a manager runs a refused message through again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ticketing.mail.models import EmailMessage
from ticketing.mail.permissions import can_reprocess
from ticketing.mail.services.email_review import EmailNotQuarantined, reprocess_quarantined_email
from ticketing.mail.services.email_storing import Outcome


class ReprocessForm(forms.Form):
    pass


class ReprocessEmailView(WagtailAdminTemplateMixin, FormView):
    """Confirm, then run a quarantined message through the inbound pipeline again."""

    template_name = "ticketing/mail/reprocess_email.html"
    form_class = ReprocessForm
    page_title = gettext_lazy("Reprocess the email")
    header_icon = "resubmit"
    viewset = None  # the mail manager's, for its URLs

    @cached_property
    def message(self) -> EmailMessage:
        message = get_object_or_404(EmailMessage, pk=self.kwargs["pk"])
        if not can_reprocess(message, self.request.user):
            raise PermissionDenied
        return message

    def dispatch(self, request, *args, **kwargs):
        self.message  # noqa: B018 - refuses before anything else is read
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.message)

    def get_context_data(self, **kwargs) -> dict:
        cancel_url = self.viewset.get_url_name("inspect")
        return {**super().get_context_data(**kwargs), "message": self.message,
                "cancel_url": _reverse(cancel_url, self.message.pk)}  # fmt: skip

    def form_valid(self, form):
        try:
            receipt = reprocess_quarantined_email(self.message, self.request.user)
        except EmailNotQuarantined:
            messages.warning(self.request, _("This email is no longer in the quarantine."))
            return redirect(_reverse(self.viewset.get_url_name("index")))
        if receipt.outcome == Outcome.QUARANTINED:
            messages.warning(self.request, _("The email is still refused: %(reason)s") % {
                "reason": receipt.reason})  # fmt: skip
        elif receipt.outcome in (Outcome.NEW_TICKET, Outcome.ADDED_TO_TICKET):
            messages.success(self.request, _("The email is now on ticket %(number)s.") % {
                "number": receipt.email.ticket.number})  # fmt: skip
        else:
            messages.success(self.request, _("The email was taken in (%(outcome)s).") % {
                "outcome": receipt.outcome})  # fmt: skip
        if receipt.email is None:
            return redirect(_reverse(self.viewset.get_url_name("index")))
        return redirect(_reverse(self.viewset.get_url_name("inspect"), receipt.email.pk))


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)
