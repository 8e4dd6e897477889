"""The conversation's own pages: adding an internal note, and one email with its images."""

from csp.decorators import csp_update
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ticketing.conversation.bodies import html_with_images, html_without_images
from ticketing.conversation.forms import NoteForm
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.notes import add_note
from ticketing.tickets.views.related import TicketRelatedView
from ticketing.tickets.views.urls import inspect_url, ticket_breadcrumbs


class AddNoteView(TicketRelatedView):
    """Post an internal note; the page says whom it notified and which @names matched nobody."""

    form_class = NoteForm
    template_name = "conversation/add_note.html"
    page_title = gettext_lazy("Internal note")
    header_icon = "comment"

    @cached_property
    def related(self):
        return None

    def form_valid(self, form):
        entry = add_note(self.ticket, form.cleaned_data["body"], by=self.request.user)
        messages.success(self.request, _("Internal note added."))
        for name in entry.data["unknown_mentions"]:
            messages.warning(
                self.request,
                _("No agent called @%(name)s: nobody was notified.") % {"name": name},
            )
        return redirect(f"{inspect_url(self.ticket)}#conversation-end")


# Remote images, once the agent asked for them on this one message: https only.
@method_decorator(csp_update({"img-src": ["https:"]}), name="dispatch")
class EmailMessageView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One email of the ticket as its sender laid it out; images only with `?images=1`."""

    template_name = "conversation/email_message.html"
    permission_required = "view"
    header_icon = "mail"

    model = Ticket

    @cached_property
    def ticket(self):
        tickets = self.model.objects.visible_to(self.request.user)
        return get_object_or_404(tickets, pk=self.kwargs["pk"])

    @cached_property
    def email(self):
        return get_object_or_404(self.ticket.emails, pk=self.kwargs["email_pk"])

    def get_page_title(self) -> str:
        return str(self.email)

    def get_page_subtitle(self) -> str:
        return str(self.ticket)

    def get_breadcrumbs_items(self) -> list[dict]:
        return ticket_breadcrumbs(super().get_breadcrumbs_items(), self.ticket, str(self.email))

    def get_context_data(self, **kwargs) -> dict:
        images = self.request.GET.get("images") == "1"
        html = self.email.html_body
        return {
            **super().get_context_data(**kwargs),
            "ticket": self.ticket,
            "email": self.email,
            "images_shown": images,
            "html": html_with_images(html) if images else html_without_images(html),
            "back_url": inspect_url(self.ticket),
        }
