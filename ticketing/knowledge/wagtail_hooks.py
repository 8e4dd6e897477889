from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton

from ticketing.knowledge.services import FAQ_CREATED_FROM_TICKET
from ticketing.knowledge.views import TicketConvertToFAQView, convert_to_faq_url, may_convert
from ticketing.tickets.extensions import TICKET_HEADER_BUTTONS, TICKET_URLS


@hooks.register(TICKET_URLS)
def ticket_urls() -> list:
    return [
        path(
            "convert-to-faq/<int:pk>/",
            TicketConvertToFAQView.as_view(),
            name="convert_to_faq",
        )
    ]


@hooks.register(TICKET_HEADER_BUTTONS)
def convert_to_faq_buttons(ticket, user) -> list:
    if not may_convert(ticket, user):
        return []
    label = _("Update FAQ answer") if ticket.faq_page_id else _("Convert to FAQ")
    return [HeaderButton(label, url=convert_to_faq_url(ticket), icon_name="help", priority=90)]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # On the FAQ page's own history: no ticket data, only where the answer came from.
    actions.register_action(
        FAQ_CREATED_FROM_TICKET, _("From a ticket"), _("Written from a solved support ticket")
    )
