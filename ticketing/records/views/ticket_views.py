"""What the linked records add to a ticket's page: uploads, "mark as done", the totals."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permissions import policy_registry

from ticketing.common.documents import may_attach_documents
from ticketing.common.formats import format_decimal, format_money
from ticketing.common.kept_uploads import (
    discard_upload,
    keep_upload,
    kept_file_name,
    kept_upload,
    open_kept_file,
    upload_reference,
)
from ticketing.records.choices import ActivityStatus
from ticketing.records.documents import attach_new_document
from ticketing.records.models import Activity
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import RelatedList, related_list
from ticketing.tickets.views.related import ConfirmForm, TicketRelatedView

DOCUMENT_EXTENSIONS = ["pdf", "txt", "csv", "png", "jpg", "jpeg", "gif", "docx", "xlsx", "odt",
                       "ods", "zip", "eml", "msg"]  # fmt: skip


def ticket_totals(ticket: Ticket) -> dict:
    """Time spent and expenses per currency on the ticket (two aggregate queries)."""
    hours = ticket.timesheets.aggregate(total=Sum("hours"))["total"] or 0
    expenses = (
        ticket.expenses.values("currency").annotate(amount=Sum("amount")).order_by("currency")
    )
    return {
        "time_spent": format_decimal(hours),
        "expense_totals": [format_money(row["amount"], row["currency"]) for row in expenses],
    }


class UploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    file = forms.FileField(
        label=gettext_lazy("File"), validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The file chosen on an earlier try of this form (see ticketing.kept_uploads).
        self.kept = None
        if upload := kept_upload(self.data.get("kept_file", ""), user):
            self.use_kept(upload)

    def use_kept(self, upload) -> None:
        self.kept = upload
        self.fields["file"].required = False


class TicketDocumentUploadView(TicketRelatedView):
    """Upload a file as a private document of the ticket (S17)."""

    template_name = "ticketing/ticket/upload_document.html"
    form_class = UploadForm
    page_title = gettext_lazy("Add a document")

    def dispatch(self, request, *args, **kwargs):
        if not may_attach_documents(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        title, chosen, kept = form.cleaned_data["title"], form.cleaned_data["file"], form.kept
        if chosen:
            document = attach_new_document(self.ticket, title, chosen, self.request.user)
        else:
            with open_kept_file(kept) as file:
                document = attach_new_document(self.ticket, title, file, self.request.user)
        if kept:
            discard_upload(kept)
        messages.success(self.request, _("“%(document)s” is attached to the ticket.") % {
            "document": document})  # fmt: skip
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        chosen = None if "file" in form.errors else form.cleaned_data.get("file")
        if chosen:
            # Something else is wrong: keep the file so that the agent need not choose it again.
            if form.kept:
                discard_upload(form.kept)
            form.use_kept(keep_upload(chosen, self.request.user))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        kept = context["form"].kept
        context["kept_file"] = (
            {"reference": upload_reference(kept), "name": kept_file_name(kept)} if kept else None
        )
        return context


class CloseActivityView(TicketRelatedView):
    """Mark an activity done: it moves from Activities to Activity history (S19)."""

    template_name = "ticketing/ticket/close_activity.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Mark as done")

    def dispatch(self, request, *args, **kwargs):
        if not policy_registry.get_by_type(Activity).user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def related(self) -> RelatedList:
        return related_list("activities")

    @cached_property
    def activity(self) -> Activity:
        return get_object_or_404(
            Activity, pk=self.kwargs["activity_pk"], ticket=self.ticket, status=ActivityStatus.OPEN
        )

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "activity": self.activity}

    def form_valid(self, form):
        self.activity.status = ActivityStatus.CLOSED
        self.activity.save(update_fields=["status"])
        messages.success(self.request, _("“%(activity)s” is done.") % {"activity": self.activity})
        return redirect(self.get_success_url())
