"""Where the conversation's Reply, Reply all and Forward go: the mail app's composer, told which
message is answered and how (it fills in the addresses, the subject and the quoted text)."""

from django.utils.http import urlencode

from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.urls import ticket_url


def composer_url(ticket: Ticket, email_pk: int | None = None, mode: str = "reply") -> str:
    url = ticket_url("send_email", ticket.pk)
    return f"{url}?{urlencode({'reply_to': email_pk, 'mode': mode})}" if email_pk else url


def latest_inbound(ticket: Ticket) -> EmailMessage | None:
    """The customer's latest email, the one the composer at the end of the thread answers."""
    emails = ticket.emails.filter(direction=EmailDirection.INBOUND, flagged=False)
    return emails.order_by("-created_at", "-pk").first()
