"""The ticket's Emails list (S24): sent from the ticket or received, read rather than edited."""

from dataclasses import dataclass

from django.contrib.admin.utils import quote
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import policy_registry

from ticketing.common.views.choosers import LocalizedSnippetChooser
from ticketing.mail.models import EmailMessage
from ticketing.tickets.link_auditing import audit_child_links
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import RelatedList, model_url, register_related_list
from ticketing.tickets.views.urls import ticket_url


@dataclass(frozen=True)
class EmailList(RelatedList):
    def chooser_widget(self):
        return LocalizedSnippetChooser(self.model)

    def record_url(self, record) -> str:
        return model_url(EmailMessage, "inspect", quote(record.pk))

    def create_url(self, ticket, user, back_url: str) -> str:
        return ticket_url("send_email", ticket.pk)

    def extra_context(self, ticket, user) -> dict:
        # Held emails are accepted by whoever may change the ticket.
        return {
            "can_accept": policy_registry.get_by_type(Ticket).user_has_permission(user, "change")
        }


def register_related_lists() -> None:
    register_related_list(
        EmailList("emails", _("Emails"), EmailMessage, "create", order=110, choosable_child=True)
    )
    # A new email is on its ticket's timeline as received or sent (MessageAdded), not as a link.
    audit_child_links(EmailMessage, "emails", note_creation=False)
