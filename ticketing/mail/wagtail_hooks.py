from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton

from ticketing.mail.services.email_review import (
    EMAIL_ACCEPTED_LOG_ACTION,
    EMAIL_REPROCESSED_LOG_ACTION,
)
from ticketing.mail.views.composer import TicketSendEmailView
from ticketing.mail.views.email import AcceptEmailView, ResendEmailView
from ticketing.tickets.extensions import TICKET_HEADER_BUTTONS, TICKET_URLS
from ticketing.tickets.views.urls import ticket_url


@hooks.register(TICKET_URLS)
def ticket_urls() -> list:
    return [
        path("send-email/<int:pk>/", TicketSendEmailView.as_view(), name="send_email"),
        path(
            "resend-email/<int:pk>/<int:email_pk>/",
            ResendEmailView.as_view(),
            name="resend_email",
        ),
        path(
            "accept-email/<int:pk>/<int:email_pk>/",
            AcceptEmailView.as_view(),
            name="accept_email",
        ),
    ]


@hooks.register(TICKET_HEADER_BUTTONS)
def send_email_button(ticket, user) -> list:
    url = ticket_url("send_email", ticket.pk)
    return [HeaderButton(_("Send email"), url=url, icon_name="mail", priority=5)]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        EMAIL_ACCEPTED_LOG_ACTION, _("Email accepted"), _("Accepted a held email from its sender")
    )
    actions.register_action(
        EMAIL_REPROCESSED_LOG_ACTION,
        _("Email reprocessed"),
        _("Ran a quarantined email through the inbound mail again"),
    )
