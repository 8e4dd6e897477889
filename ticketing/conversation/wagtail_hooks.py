from django.urls import path
from wagtail import hooks

from ticketing.conversation.views import AddNoteView, EmailMessageView
from ticketing.tickets.extensions import TICKET_DETAIL_CONTEXT, TICKET_URLS


@hooks.register(TICKET_URLS)
def ticket_urls() -> list:
    return [
        path("add-note/<int:pk>/", AddNoteView.as_view(), name="add_note"),
        path(
            "conversation-email/<int:pk>/<int:email_pk>/",
            EmailMessageView.as_view(),
            name="conversation_email",
        ),
    ]


@hooks.register(TICKET_DETAIL_CONTEXT)
def conversation_context(ticket, user) -> dict:
    # The thread is built when the page renders (it needs the request: page, order).
    return {"conversation_template": "conversation/thread.html"}
