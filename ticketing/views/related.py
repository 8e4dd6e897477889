"""The ticket's related lists: link, unlink, upload, close an activity, create from the ticket."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import CreateView, InspectView

from ticketing.choices import ActivityStatus
from ticketing.formats import format_decimal, format_money
from ticketing.kept_uploads import (
    discard_upload,
    keep_upload,
    kept_file_name,
    kept_upload,
    open_kept_file,
    upload_reference,
)
from ticketing.models import Activity, EmailMessage, Ticket
from ticketing.related_lists import (
    RELATED_LISTS,
    RELATED_LISTS_BY_KEY,
    ROWS_SHOWN,
    RelatedList,
    select_list_for_model,
)
from ticketing.services.linking import (
    LinkRefused,
    attach_new_document,
    link_record,
    linkable_records,
    may_attach_documents,
    unlink_record,
)
from ticketing.views.choosers import LocalizedSnippetChooser
from ticketing.views.urls import NAMESPACE, inspect_url, ticket_breadcrumbs

DOCUMENT_EXTENSIONS = ["pdf", "txt", "csv", "png", "jpg", "jpeg", "gif", "docx", "xlsx", "odt",
                       "ods", "zip", "eml", "msg"]  # fmt: skip


def model_url(model, view: str) -> str:
    return reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}")


def related_lists_context(ticket: Ticket, user) -> list[dict]:
    """Each list with its count, its latest rows and its links; a fixed number of queries."""
    back = urlencode({"ticket": ticket.pk, "next": inspect_url(ticket)})
    is_documents = {r.key: r.model is get_document_model() for r in RELATED_LISTS}
    lists = []
    for related in RELATED_LISTS:
        if not is_documents[related.key]:
            policy = policy_registry.get_by_type(related.model)
            if not policy.user_has_any_permission(user, ["view", "change"]):
                continue
        rows = related.queryset(ticket)
        entry = {
            "related": related,
            "count": rows.count(),
            "rows": [
                {
                    "record": record,
                    "url": record_url(record),
                    "unlink_url": unlink_url(ticket, related, record)
                    if related.is_select
                    else None,
                }
                for record in rows.order_by("-pk")[:ROWS_SHOWN]
            ],
        }
        if is_documents[related.key]:
            entry["create_url"] = reverse(f"{NAMESPACE}:upload_document", args=(ticket.pk,))
        elif related.key == "emails":
            entry["see_all_url"] = f"{model_url(related.model, 'list')}?ticket={ticket.pk}"
            entry["create_url"] = reverse(f"{NAMESPACE}:send_email", args=(ticket.pk,))
            entry["can_accept"] = user.has_perm("ticketing.change_ticket")  # held emails
        else:
            entry["see_all_url"] = f"{model_url(related.model, 'list')}?ticket={ticket.pk}"
            # The activity history fills by closing activities; agents only view services.
            if related.activity_status != ActivityStatus.CLOSED and policy.user_has_permission(
                user, "add"
            ):
                entry["create_url"] = f"{model_url(related.model, 'add')}?{back}"
        if related.can_link:
            entry["link_url"] = reverse(f"{NAMESPACE}:link", args=(ticket.pk, related.key))
        lists.append(entry)
    return lists


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


def record_url(record) -> str:
    if isinstance(record, get_document_model()):
        return reverse("wagtaildocs_serve", args=(record.pk, record.filename))
    if isinstance(record, EmailMessage):  # stored as received or sent: read, not edited
        return reverse("wagtailsnippets_ticketing_emailmessage:inspect", args=(record.pk,))
    return reverse(
        f"wagtailsnippets_{record._meta.app_label}_{record._meta.model_name}:edit",
        args=(quote(record.pk),),
    )


def unlink_url(ticket: Ticket, related: RelatedList, record) -> str:
    return reverse(f"{NAMESPACE}:unlink", args=(ticket.pk, related.key, record.pk))


class TicketRelatedView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Base for the views that change what a ticket links to: they need "change ticket"."""

    model = Ticket
    permission_required = "change"
    header_icon = "link"

    @cached_property
    def ticket(self) -> Ticket:
        return get_object_or_404(Ticket, pk=unquote(str(self.kwargs["pk"])))

    @cached_property
    def related(self) -> RelatedList:
        related = RELATED_LISTS_BY_KEY.get(self.kwargs.get("key", "documents"))
        if related is None or not related.can_link:
            raise Http404
        return related

    def get_page_subtitle(self) -> str:
        return str(self.ticket)

    def get_breadcrumbs_items(self) -> list[dict]:
        return ticket_breadcrumbs(self.breadcrumbs_items, self.ticket, self.get_page_title())

    def get_success_url(self) -> str:
        return inspect_url(self.ticket)

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "ticket": self.ticket,
                "related": self.related, "cancel_url": inspect_url(self.ticket)}  # fmt: skip


class LinkForm(forms.Form):
    def __init__(self, *args, queryset, widget, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"] = forms.ModelChoiceField(
            queryset=queryset, widget=widget, label=label
        )


class TicketLinkView(TicketRelatedView):
    template_name = "ticketing/ticket/link.html"
    form_class = LinkForm

    def get_page_title(self) -> str:
        return _("Link to the ticket: %(list)s") % {"list": self.related.label}

    def get_form_kwargs(self) -> dict:
        model = self.related.model
        if model is get_document_model():
            widget = AdminDocumentChooser()
        else:
            widget = LocalizedSnippetChooser(model)
        queryset = linkable_records(self.related, self.request.user)
        return {**super().get_form_kwargs(), "queryset": queryset, "widget": widget,
                "label": capfirst(model._meta.verbose_name)}  # fmt: skip

    def form_valid(self, form):
        record = form.cleaned_data["record"]
        try:
            link_record(self.ticket, self.related, record, self.request.user)
        except LinkRefused as refusal:
            raise PermissionDenied from refusal
        messages.success(self.request, _("“%(record)s” is now linked to the ticket.") % {
            "record": record})  # fmt: skip
        return redirect(self.get_success_url())


class ConfirmForm(forms.Form):
    pass


class TicketUnlinkView(TicketRelatedView):
    template_name = "ticketing/ticket/unlink.html"
    form_class = ConfirmForm
    page_title = gettext_lazy("Unlink")

    @cached_property
    def related(self) -> RelatedList:
        # Any link can be removed (S16–S27), child records included: they stay, unattached.
        related = RELATED_LISTS_BY_KEY.get(self.kwargs["key"])
        if related is None:
            raise Http404
        return related

    @cached_property
    def record(self):
        return get_object_or_404(self.related.queryset(self.ticket), pk=self.kwargs["record_pk"])

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "record": self.record}

    def form_valid(self, form):
        unlink_record(self.ticket, self.related, self.record)
        messages.success(self.request, _("“%(record)s” is no longer linked to the ticket.") % {
            "record": self.record})  # fmt: skip
        return redirect(self.get_success_url())


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
        if not request.user.has_perm("ticketing.change_activity"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def related(self) -> RelatedList:
        return RELATED_LISTS_BY_KEY["activities"]

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


class TicketLinkedCreateView(CreateView):
    """A record's "add" form opened from a ticket: linked to it, and back to it after saving."""

    @cached_property
    def from_ticket(self) -> Ticket | None:
        pk = self.request.GET.get("ticket")
        if not (pk and pk.isdigit()):
            return None
        ticket = Ticket.objects.filter(pk=pk).first()
        if ticket and not self.request.user.has_perm("ticketing.change_ticket"):
            raise PermissionDenied
        return ticket

    # Whose record it is, by default: the agent filling in the form.
    OWNER_FIELDS = ("user", "spent_by", "assigned_to")

    def get_initial(self) -> dict:
        initial = super().get_initial()
        if self.from_ticket and hasattr(self.model, "ticket_id"):
            initial["ticket"] = self.from_ticket.pk
        for name in self.OWNER_FIELDS:
            if hasattr(self.model, f"{name}_id"):
                initial[name] = self.request.user.pk
        return initial

    def save_instance(self):
        instance = super().save_instance()
        related = select_list_for_model(self.model)
        if self.from_ticket and related:
            getattr(self.from_ticket, related.key).add(instance)
        return instance

    def get_add_url(self) -> str:
        # Wagtail posts the form to the bare add URL: keep ?ticket=…&next=… on it, or the
        # saved record would neither join the ticket nor come back to it.
        url = super().get_add_url()
        params = {k: self.request.GET[k] for k in ("ticket", "next") if self.request.GET.get(k)}
        return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}" if params else url

    def get_success_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or super().get_success_url()


class RecordInspectView(InspectView):
    """A record's detail page, with the tickets it is linked to (the reverse of the lists)."""

    template_name = "ticketing/record_inspect.html"
    tickets_shown = 10

    def get_field_display_value(self, field_name, field):
        # Wagtail shows 1234.50 whatever the language; people read 1 234,50 in French.
        if isinstance(field, models.DecimalField):
            return format_decimal(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        tickets = getattr(self.object, "tickets", None)
        if tickets is not None and self.request.user.has_perm("ticketing.view_ticket"):
            context["tickets_count"] = tickets.count()
            context["tickets"] = tickets.order_by("-sequence")[: self.tickets_shown]
        return context
