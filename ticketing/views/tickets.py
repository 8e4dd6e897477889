"""The ticket's admin views: Wagtail's generic snippet views, plus transitions and the timeline."""

import datetime

from django.contrib.admin.utils import unquote
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView

from ticketing.models import EditConflict, Ticket
from ticketing.services.contracts import contracts_over_limit
from ticketing.services.transitions import (
    TransitionRefused,
    apply_transition,
    available_transitions,
    refusal_reason,
)
from ticketing.staff import display_name
from ticketing.transitions import TRANSITIONS
from ticketing.views.faq import convert_to_faq_url, may_convert
from ticketing.views.filters import search_tickets
from ticketing.views.listing import GuichetIndexView
from ticketing.views.related import related_lists_context, ticket_totals
from ticketing.views.urls import NAMESPACE, field_history_url, transition_url

EDIT_CONFLICT_MESSAGE = gettext_lazy(
    "Another agent saved this ticket while you were editing it, so your changes were not saved. "
    "Copy what you typed, reload the ticket to see their changes, then apply yours again."
)


def transition_buttons(ticket: Ticket, user, priority: int = 50) -> list[HeaderButton]:
    return [
        HeaderButton(
            TRANSITIONS[name].label,
            url=transition_url(ticket, name),
            icon_name=TRANSITIONS[name].icon,
            priority=priority + index,
            attrs={"data-transition": name},
        )
        for index, name in enumerate(available_transitions(ticket, user))
    ]


def convert_to_faq_buttons(ticket: Ticket, user) -> list[HeaderButton]:
    if not may_convert(ticket, user):
        return []
    label = _("Update FAQ answer") if ticket.faq_page_id else _("Convert to FAQ")
    return [HeaderButton(label, url=convert_to_faq_url(ticket), icon_name="help", priority=90)]


class TicketIndexView(GuichetIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_tickets(queryset, self.search_query)

    def get_list_more_buttons(self, instance: Ticket) -> list:
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        back_to_listing = urlencode({"next": self.request.get_full_path()})
        for index, name in enumerate(available_transitions(instance, user)):
            buttons.append(
                MenuItem(
                    TRANSITIONS[name].label,
                    url=f"{transition_url(instance, name)}?{back_to_listing}",
                    icon_name=TRANSITIONS[name].icon,
                    priority=40 + index,
                )
            )
        return buttons


class TicketCreateView(CreateView):
    def get_initial(self) -> dict:
        return {**super().get_initial(), "assigned_to": self.request.user.pk}

    def save_instance(self) -> Ticket:
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class TicketEditView(EditView):
    actions = ["edit", *TRANSITIONS]

    def is_valid(self, form) -> bool:
        valid = super().is_valid(form)
        if valid and self.action in TRANSITIONS:
            # form.instance now holds what the agent typed: "close" sees the new solution.
            reason = refusal_reason(form.instance, self.action, self.request.user)
            if reason:
                field = "solution" if self.action == "close" and "solution" in form.fields else None
                form.add_error(field, reason)
                self.produced_error_message = reason
                return False
        return valid

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
                if self.action in TRANSITIONS:
                    self.object = apply_transition(self.object, self.action, self.request.user)
        except (EditConflict, TransitionRefused) as refusal:
            message = (
                str(EDIT_CONFLICT_MESSAGE) if isinstance(refusal, EditConflict) else str(refusal)
            )
            form.add_error(None, message)
            self.produced_error_message = message
            return self.form_invalid(form)
        response = self.save_action()
        return self.run_after_hook() or response

    def get_success_message(self) -> str:
        if self.action in TRANSITIONS:
            return _("Ticket “%(ticket)s” saved; its status is now “%(status)s”.") % {
                "ticket": self.object,
                "status": self.object.get_status_display(),
            }
        return super().get_success_message()

    @property
    def header_buttons(self) -> list:
        return [
            HeaderButton(
                _("Inspect"),
                url=self.get_inspect_url(),
                icon_name="info-circle",
                priority=10,
            ),
            *transition_buttons(self.object, self.request.user),
        ]


class TicketInspectView(InspectView):
    template_name = "ticketing/ticket/inspect.html"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            # Wagtail's template only localizes the format: show the agent's time, not UTC.
            value = timezone.localtime(value)
        return "—" if value in (None, "") else value

    def get_faq_page_display_value(self):
        page = self.object.faq_page
        if page is None:
            return "—"
        return format_html('<a href="{}">{}</a>', page.url or page.get_url() or "#", page.title)

    def get_assigned_to_display_value(self) -> str:
        return display_name(self.object.assigned_to)

    def get_created_by_display_value(self) -> str:
        return display_name(self.object.created_by)

    def get_object(self, queryset=None) -> Ticket:
        tickets = Ticket.objects.select_related(
            "category",
            "assigned_to",
            "product",
            "account",
            "contact",
            "vendor",
            "asset",
            "created_by",
        )
        return get_object_or_404(tickets, pk=unquote(str(self.pk)))

    @property
    def header_buttons(self) -> list:
        return [
            HeaderButton(
                _("Send email"),
                url=reverse(f"{NAMESPACE}:send_email", args=(self.object.pk,)),
                icon_name="mail",
                priority=5,
            ),
            HeaderButton(
                _("Field history"),
                url=field_history_url(self.object),
                icon_name="history",
                priority=10,
            ),
            *transition_buttons(self.object, self.request.user),
            *convert_to_faq_buttons(self.object, self.request.user),
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["status_changes"] = self.object.status_changes.select_related("changed_by")
        context["field_history_url"] = field_history_url(self.object)
        context["related_lists"] = related_lists_context(self.object, self.request.user)
        context["contracts_over_limit"] = contracts_over_limit(self.object)
        context.update(ticket_totals(self.object))
        return context
