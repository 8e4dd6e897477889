from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ticketing.tickets.forms import TransitionForm
from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import (
    TransitionRefused,
    apply_transition,
    refusal_reason,
)
from ticketing.tickets.views.urls import inspect_url, ticket_breadcrumbs


class TicketTransitionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm a status change (with an optional comment), then apply it."""

    model = Ticket
    permission_required = "transition"
    form_class = TransitionForm
    template_name = "ticketing/ticket/transition.html"
    header_icon = "resubmit"
    inspect_url_name = None
    edit_url_name = None

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.transition_name = kwargs["transition"]

    @cached_property
    def ticket(self) -> Ticket:
        # Loaded after the permission check in dispatch(), so a refused user learns nothing.
        tickets = Ticket.objects.visible_to(self.request.user)
        return get_object_or_404(tickets, pk=unquote(str(self.kwargs["pk"])))

    def get_page_title(self) -> str:
        info = TRANSITIONS.get(self.transition_name)
        return str(info.label) if info else _("Change status")

    def get_page_subtitle(self) -> str:
        return str(self.ticket)

    def get(self, request, *args, **kwargs):
        reason = refusal_reason(self.ticket, self.transition_name, request.user)
        if reason:
            messages.error(request, reason)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            ticket = apply_transition(
                self.ticket, self.transition_name, self.request.user, form.cleaned_data["comment"]
            )
        except TransitionRefused as refusal:
            messages.error(self.request, str(refusal))
        else:
            messages.success(
                self.request,
                _("Ticket “%(ticket)s” is now “%(status)s”.")
                % {"ticket": ticket, "status": ticket.get_status_display()},
            )
        return redirect(self.get_success_url())

    def get_breadcrumbs_items(self) -> list[dict]:
        return ticket_breadcrumbs(self.breadcrumbs_items, self.ticket, self.get_page_title())

    def get_success_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or self.ticket_url

    @property
    def ticket_url(self) -> str:
        return inspect_url(self.ticket)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            ticket=self.ticket,
            transition=TRANSITIONS[self.transition_name],
            cancel_url=self.ticket_url,
        )
        return context
