"""Convert to FAQ (S14) from a closed ticket: a prefilled form the agent edits, then publish."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.models import Locale
from wagtail.permissions import policy_registry

from faq.models import FAQ_RICH_TEXT_FEATURES, FAQCategory
from ticketing.knowledge.services import (
    ConversionRefused,
    check_convertible,
    convert_ticket_to_faq,
    faq_index,
    faq_prefill,
    may_publish_faq,
    personal_data_in,
    rich_text_to_text,
    text_to_rich_text,
)
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.related import TicketRelatedView
from ticketing.tickets.views.urls import ticket_url


class AnswerEditor(DraftailRichTextArea):
    """The FAQ page's own rich text editor; plain text from a client without JavaScript."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value is None:
            return None
        try:
            json.loads(value)
        except ValueError:
            return text_to_rich_text(value)
        return super().value_from_datadict(data, files, name)


class ConvertToFAQForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question"), max_length=255)
    # Rich text, as in the FAQ page editor: formatting a marketer added survives an update.
    answer = forms.CharField(
        label=gettext_lazy("Answer"), widget=AnswerEditor(features=FAQ_RICH_TEXT_FEATURES)
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=FAQCategory.objects.none(), required=False
    )
    no_personal_data = forms.BooleanField(
        label=gettext_lazy("I have checked: no email address, phone number or customer name."),
        required=False,
    )

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        self.fields["category"].queryset = FAQCategory.objects.filter(locale=Locale.get_default())

    def clean(self):
        cleaned = super().clean()
        found = personal_data_in(
            self.ticket, cleaned.get("question", ""), rich_text_to_text(cleaned.get("answer", ""))
        )
        self.personal_data = found
        if found and not cleaned.get("no_personal_data"):
            raise forms.ValidationError(
                _("The text contains what looks like personal data: %(found)s. Remove it, or "
                  "confirm that it may be published.") % {"found": ", ".join(found)}
            )  # fmt: skip
        return cleaned


def convert_to_faq_url(ticket) -> str:
    return ticket_url("convert_to_faq", ticket.pk)


def may_convert(ticket, user) -> bool:
    try:
        check_convertible(ticket)
        index = faq_index()
    except ConversionRefused:
        return False
    return (
        policy_registry.get_by_type(Ticket).user_has_permission(user, "change")
        and index.permissions_for_user(user).can_add_subpage()
    )


class TicketConvertToFAQView(TicketRelatedView):
    template_name = "ticketing/ticket/convert_to_faq.html"
    form_class = ConvertToFAQForm
    page_title = gettext_lazy("Convert to FAQ")
    header_icon = "help"

    @cached_property
    def related(self):
        return None

    def get(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def refusal(self) -> str | None:
        try:
            check_convertible(self.ticket)
            index = faq_index()
        except ConversionRefused as refusal:
            return str(refusal)
        if not index.permissions_for_user(self.request.user).can_add_subpage():
            raise PermissionDenied
        return None

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "ticket": self.ticket}

    def get_initial(self) -> dict:
        if self.ticket.faq_page_id:
            # The latest revision, as rich text: an answer still in moderation comes back as
            # last typed, and a marketer's formatting is never flattened.
            page = self.ticket.faq_page.specific.get_latest_revision_as_object()
            return {"question": page.title, "answer": page.answer, "category": page.category}
        prefill = faq_prefill(self.ticket)
        return {**prefill, "answer": text_to_rich_text(prefill["answer"])}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        initial = form.initial
        context["personal_data"] = personal_data_in(
            self.ticket, str(initial.get("question", "")),
            rich_text_to_text(str(initial.get("answer", ""))),
        ) if not form.is_bound else getattr(form, "personal_data", [])  # fmt: skip
        context["existing_page"] = page = self.ticket.faq_page
        # Wagtail's own edit URL, None for whoever may not edit the page: no link to a refusal.
        context["existing_page_url"] = page and AdminURLFinder(self.request.user).get_edit_url(page)
        context["may_publish"] = may_publish_faq(self.ticket, self.request.user)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            page, published = convert_ticket_to_faq(
                self.ticket, self.request.user, data["question"], data["answer"],
                data["category"], answer_is_rich_text=True,
            )  # fmt: skip
        except ConversionRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        if published:
            message = _("“%(question)s” is published in the FAQ.")
        else:
            message = _("“%(question)s” is submitted for moderation before it is published.")
        messages.success(self.request, message % {"question": page.title})
        return redirect(self.get_success_url())
