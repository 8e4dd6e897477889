"""Records created from a ticket's related list: linked to it, and back to it after saving."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import CreateView

from ticketing.common.views.viewsets import RecordViewSet
from ticketing.tickets.forms import with_visible_tickets
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import select_list_for_model
from ticketing.tickets.services.linking import LinkRefused, link_record


class TicketLinkedCreateView(CreateView):
    """A record's "add" form opened from a ticket: linked to it, and back to it after saving."""

    @cached_property
    def from_ticket(self) -> Ticket | None:
        pk = self.request.GET.get("ticket")
        if not (pk and pk.isdigit()):
            return None
        user = self.request.user
        ticket = Ticket.objects.visible_to(user).filter(pk=pk).first()
        if ticket and not policy_registry.get_by_type(Ticket).user_has_permission(user, "change"):
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
            # The linking road, so that the ticket's history and its listeners hear of it.
            try:
                link_record(self.from_ticket, related, instance, self.request.user)
            except LinkRefused as refusal:  # rolls the new record back with the view's save
                raise PermissionDenied from refusal
        return instance

    def get_add_url(self) -> str:
        # Wagtail posts the form to the bare add URL: keep ?ticket=…&next=… on it, or the
        # saved record would neither join the ticket nor come back to it.
        url = super().get_add_url()
        params = {k: self.request.GET[k] for k in ("ticket", "next") if self.request.GET.get(k)}
        return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}" if params else url

    def get_success_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or super().get_success_url()


class TicketLinkedViewSet(RecordViewSet):
    """Records that can be created from a ticket's related list, linked to it."""

    add_view_class = TicketLinkedCreateView

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        edit_handler.base_form_class = with_visible_tickets(edit_handler.base_form_class)
        return edit_handler
