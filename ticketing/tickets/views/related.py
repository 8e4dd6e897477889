"""The ticket's related lists: the detail page's lists, link and unlink (S16–S27)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import ROWS_SHOWN, RelatedList, related_list, related_lists
from ticketing.tickets.services.linking import LinkRefused, link_record, unlink_record
from ticketing.tickets.views.urls import inspect_url, ticket_breadcrumbs, ticket_url


def related_lists_context(ticket: Ticket, user) -> list[dict]:
    """Each list with its count, its latest rows and its links; a fixed number of queries."""
    back = inspect_url(ticket)
    lists = []
    for related in related_lists():
        if not related.user_may_see(user):
            continue
        rows = related.queryset(ticket)
        entry = {
            "related": related,
            "count": rows.count(),
            "rows": [
                {
                    "record": record,
                    "url": related.record_url(record),
                    "unlink_url": unlink_url(ticket, related, record)
                    if related.is_select
                    else None,
                }
                for record in rows.order_by("-pk")[:ROWS_SHOWN]
            ],
            "see_all_url": related.see_all_url(ticket),
            "create_url": related.create_url(ticket, user, back),
            **related.extra_context(ticket, user),
        }
        if related.can_link:
            entry["link_url"] = ticket_url("link", ticket.pk, related.key)
        lists.append(entry)
    return lists


def unlink_url(ticket: Ticket, related: RelatedList, record) -> str:
    return ticket_url("unlink", ticket.pk, related.key, record.pk)


class TicketRelatedView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Base for the views that change what a ticket links to: they need "change ticket"."""

    model = Ticket
    permission_required = "change"
    header_icon = "link"

    @cached_property
    def ticket(self) -> Ticket:
        tickets = Ticket.objects.visible_to(self.request.user)
        return get_object_or_404(tickets, pk=unquote(str(self.kwargs["pk"])))

    @cached_property
    def related(self) -> RelatedList:
        related = related_list(self.kwargs.get("key", "documents"))
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
        related = self.related
        return {
            **super().get_form_kwargs(),
            "queryset": related.linkable_records(self.request.user),
            "widget": related.chooser_widget(),
            "label": capfirst(related.model._meta.verbose_name),
        }

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
        related = related_list(self.kwargs["key"])
        if related is None:
            raise Http404
        return related

    @cached_property
    def record(self):
        return get_object_or_404(self.related.queryset(self.ticket), pk=self.kwargs["record_pk"])

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "record": self.record}

    def form_valid(self, form):
        unlink_record(self.ticket, self.related, self.record, self.request.user)
        messages.success(self.request, _("“%(record)s” is no longer linked to the ticket.") % {
            "record": self.record})  # fmt: skip
        return redirect(self.get_success_url())
