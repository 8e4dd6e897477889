from django.urls import path
from wagtail import hooks

from ticketing.records.contracts import contracts_over_limit
from ticketing.records.views.ticket_views import (
    CloseActivityView,
    TicketDocumentUploadView,
    ticket_totals,
)
from ticketing.tickets.extensions import TICKET_DETAIL_CONTEXT, TICKET_URLS


@hooks.register(TICKET_URLS)
def ticket_urls() -> list:
    return [
        path(
            "upload-document/<int:pk>/",
            TicketDocumentUploadView.as_view(),
            name="upload_document",
        ),
        path(
            "close-activity/<int:pk>/<int:activity_pk>/",
            CloseActivityView.as_view(),
            name="close_activity",
        ),
    ]


@hooks.register(TICKET_DETAIL_CONTEXT)
def ticket_detail_context(ticket, user) -> dict:
    return {"contracts_over_limit": contracts_over_limit(ticket), **ticket_totals(ticket)}
