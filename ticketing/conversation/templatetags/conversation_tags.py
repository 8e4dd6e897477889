"""`{% conversation_thread %}`: the conversation on the ticket's page, as the agent asked for it.

The order (newest at the bottom, or at the top) is the agent's: `?conversation_order=` changes
it and the session remembers it, so each ticket opens the way the agent last chose.
"""

from django import template

from ticketing.conversation.forms import NoteForm
from ticketing.conversation.replies import composer_url, latest_inbound
from ticketing.conversation.thread import NEWEST_LAST, ORDERS, conversation_page
from ticketing.mail.models import EmailTemplate
from ticketing.mail.replies import REPLY, reply_initial
from ticketing.mail.services.email_out import subject_with_token
from ticketing.mail.views.composer import ComposeForm
from ticketing.tickets.views.urls import ticket_url

register = template.Library()
ORDER_KEY = "conversation_order"


def chosen_order(request) -> str:
    asked = request.GET.get(ORDER_KEY)
    if asked in ORDERS:
        if request.session.get(ORDER_KEY) != asked:
            request.session[ORDER_KEY] = asked
        return asked
    remembered = request.session.get(ORDER_KEY)
    return remembered if remembered in ORDERS else NEWEST_LAST


@register.inclusion_tag("conversation/conversation.html", takes_context=True)
def conversation_thread(context) -> dict:
    request, ticket = context["request"], context["object"]
    order = chosen_order(request)
    thread = conversation_page(ticket, request.GET.get("conversation_page"), order)
    return {
        **thread,
        "request": request,
        "ticket": ticket,
        "note_form": NoteForm(),
        "reply_form": reply_form(ticket),
        "composer_url": composer_url(ticket),
        "note_url": ticket_url("add_note", ticket.pk),
        "email_templates": EmailTemplate.objects.all(),
        "other_order": ORDERS[1 - ORDERS.index(order)],
    }


def reply_form(ticket) -> ComposeForm:
    """The composer at the end of the thread: answering the customer's latest email."""
    latest = latest_inbound(ticket)
    if latest is not None:
        initial = reply_initial(ticket, latest, REPLY)
    else:
        contact = ticket.contact
        initial = {
            "to": contact.email if contact and contact.email else "",
            "subject": subject_with_token(ticket, ticket.title),
        }
    return ComposeForm(initial=initial, ticket=ticket)


@register.simple_tag
def composer_link(ticket, email, mode: str) -> str:
    return composer_url(ticket, email.pk, mode)


@register.simple_tag
def email_page_url(ticket, email, images: bool = False) -> str:
    url = ticket_url("conversation_email", ticket.pk, email.pk)
    return f"{url}?images=1" if images else url


@register.simple_tag
def order_url(order: str) -> str:
    return f"?{ORDER_KEY}={order}#conversation"


@register.simple_tag
def older_url(page_number: int) -> str:
    return f"?conversation_page={page_number}#conversation"
