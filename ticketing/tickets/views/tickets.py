"""The ticket's admin views: Wagtail's generic snippet views, with transitions and the timeline."""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    InspectView,
    UsageView,
)

from ticketing.common.edit_conflicts import EditConflictViewMixin
from ticketing.common.people import display_name
from ticketing.common.views.listing import GuichetIndexView
from ticketing.tickets.extensions import (
    extra_detail_context,
    extra_header_buttons,
    extra_listing_panels,
)
from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.tickets import open_ticket, update_ticket
from ticketing.tickets.services.transitions import available_transitions, refusal_reason
from ticketing.tickets.views.related import related_lists_context
from ticketing.tickets.views.side_panels import TicketStatusSidePanel
from ticketing.tickets.views.timeline import timeline_context
from ticketing.tickets.views.urls import transition_url


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


class VisibleTicketObjectMixin:
    """A ticket page finds its ticket among those the user may see: any other is not found."""

    def visible_tickets(self):
        # Wagtail's delete, history and usage views load their object in setup(), before the
        # permission check of dispatch(): check first, so that a refused user is refused as on
        # every other page, and never told whether the ticket exists.
        if self.permission_required and not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        any_required = self.any_permission_required
        if any_required and not self.user_has_any_permission(any_required):
            raise PermissionDenied
        return Ticket.objects.visible_to(self.request.user)

    def get_base_object_queryset(self):  # Wagtail's BaseObjectMixin: history, usage
        return self.visible_tickets()


class VisibleTicketMixin(VisibleTicketObjectMixin):
    def get_queryset(self):  # Django's SingleObjectMixin: the edit and delete views
        return self.visible_tickets()


class TicketIndexView(GuichetIndexView):
    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["listing_panels"] = extra_listing_panels(self.request)
        return context

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The ticket's number opens its page (the agent's workspace), not the edit form
        # Wagtail prefers: editing is one click from there.
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(
            field_name, column_class, get_url=self.get_inspect_url, **kwargs
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.search(self.search_query)

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


def typed_fields(form) -> dict:
    """What the agent typed, field by field, as the form put it on its instance when it cleaned."""
    names = {field.name for field in Ticket._meta.concrete_fields}
    return {name: getattr(form.instance, name) for name in form.cleaned_data if name in names}


class TicketCreateView(CreateView):
    def get_initial(self) -> dict:
        return {**super().get_initial(), "assigned_to": self.request.user.pk}

    def save_instance(self) -> Ticket:
        ticket = open_ticket(by=self.request.user, **typed_fields(self.form))
        self.form.instance = ticket
        return ticket


class TicketEditView(VisibleTicketMixin, EditConflictViewMixin, EditView):
    actions = ["edit", *TRANSITIONS]

    def get_success_url(self) -> str:
        # Save (and Ctrl+S) go back to the ticket's page, where the agent works: not the listing.
        return self.get_inspect_url()

    def save_instance(self) -> Ticket:
        # The form checked the version it loaded (EditConflictFormMixin); the service refuses
        # a save from an older one with EditConflict, which EditConflictViewMixin shows.
        return update_ticket(
            self.form.instance,
            typed_fields(self.form),
            by=self.request.user,
            loaded_version=self.form.cleaned_data.get("loaded_version"),
        )

    def get_template_names(self) -> list[str]:
        # The viewset hands every edit view Wagtail's template: the status goes in the header.
        names = super().get_template_names()
        return names if self.hydrate_create_view else ["ticketing/ticket/edit.html", *names]

    def get_side_panels(self) -> MediaContainer:
        # Wagtail's panel, built the same way, but telling the ticket's status, not "Live".
        return MediaContainer(
            [
                TicketStatusSidePanel(
                    self.object,
                    self.request,
                    live_object=self.object,
                    locale=self.locale,
                    translations=self.translations,
                    usage_url=self.get_usage_url(),
                    history_url=self.get_history_url(),
                    last_updated_info=self.get_last_updated_info(),
                )
            ]
        )

    def is_valid(self, form) -> bool:
        valid = super().is_valid(form)
        if valid and self.action in TRANSITIONS:
            # form.instance now holds what the agent typed: "close" sees the new solution.
            reason = refusal_reason(form.instance, self.action, self.request.user)
            if reason:
                field = "solution" if self.action == "close" and "solution" in form.fields else None
                if field:  # a reason without a field is said once, at the top of the page
                    form.add_error(field, reason)
                self.produced_error_message = reason
                return False
        return valid

    def save_action(self):
        if self.action not in TRANSITIONS:
            return super().save_action()
        # The status changes on the same confirmation page as the header button's, with its
        # comment: what the agent typed (a solution, say) is saved first so that nothing is lost.
        messages.success(
            self.request,
            _("Ticket “%(ticket)s” saved. Confirm “%(transition)s” to change its status.")
            % {"ticket": self.object, "transition": TRANSITIONS[self.action].label},
        )
        return redirect(transition_url(self.object, self.action))

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


class TicketInspectView(VisibleTicketMixin, InspectView):
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
        tickets = self.visible_tickets().select_related(
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
            *transition_buttons(self.object, self.request.user),
            *extra_header_buttons(self.object, self.request.user),
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(timeline_context(self.object, self.request))
        context["related_lists"] = related_lists_context(self.object, self.request.user)
        context.update(extra_detail_context(self.object, self.request.user))
        return context


class TicketDeleteView(VisibleTicketMixin, DeleteView):
    pass


class TicketHistoryView(VisibleTicketObjectMixin, HistoryView):
    pass  # its get_queryset lists log entries: only the object lookup is the mixin's


class TicketUsageView(VisibleTicketObjectMixin, UsageView):
    pass
