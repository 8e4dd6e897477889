"""Writing what an email brings: the EmailMessage, its attachments as private documents, the
ticket it opens or moves on, and the delivery status that tracking events report.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailTrackingEvent, EventType
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ticketing.common.documents import store_private_document
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_html import sanitise_email_html
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_parsing import MAX_ID_LENGTH, attachment_names, content_bytes
from ticketing.parties.models import Contact
from ticketing.records.documents import attach_documents
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.tickets import add_message, open_ticket
from ticketing.tickets.services.transitions import TransitionRefused, apply_transition
from ticketing.tickets.system_comments import email_from_comment

# What a tracking event may change: the new status, and the statuses it may replace.
DELIVERY_MOVES = {
    EventType.DELIVERED: (EmailStatus.DELIVERED, [EmailStatus.QUEUED, EmailStatus.SENT]),
    EventType.BOUNCED: (
        EmailStatus.BOUNCED,
        [EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED],
    ),
    EventType.REJECTED: (EmailStatus.BOUNCED, [EmailStatus.QUEUED, EmailStatus.SENT]),
    EventType.FAILED: (EmailStatus.FAILED, [EmailStatus.QUEUED, EmailStatus.SENT]),
}


class Outcome(StrEnum):
    NEW_TICKET = "new ticket"
    ADDED_TO_TICKET = "added to ticket"
    AUTOMATED = "auto-reply or bounce"
    OWN_ADDRESS = "own address"
    DUPLICATE = "duplicate"
    BOUNCE = "bounce"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Receipt:
    outcome: Outcome
    email: EmailMessage | None = None
    reason: str = ""  # why nothing was stored


def store_inbound_email(
    ticket: Ticket,
    *,
    sender: str,
    to: list[str],
    cc: list[str],
    subject: str,
    text: str,
    html: str,
    attachments: list[AnymailInboundMessage],
    message_id: str,
    in_reply_to: list[str],
    references: list[str],
    sent_at: datetime | None,
    unknown_sender: bool,
    flags: list[dict],
    raw: bytes,
    agent=None,
) -> EmailMessage:
    """Store the message on `ticket`, its attachments as documents, and the raw message (a
    private document: all of it, what was over a limit too).

    Held (flagged) mail keeps its attachments to itself until an agent accepts it. An
    agent's email (`agent`: a reply to a notification) is the agent's message on the ticket:
    sent by them, published as outbound (from an agent), sent on to nobody.
    """
    email = EmailMessage(
        direction=EmailDirection.INBOUND,
        status=EmailStatus.RECEIVED,
        from_address=sender,
        to=to,
        cc=cc,
        subject=subject[:998],
        text_body=text,
        html_body=sanitise_email_html(html).strip() if html else "",
        message_id=message_id,
        in_reply_to=in_reply_to[0][:MAX_ID_LENGTH] if in_reply_to else "",
        references=" ".join(references),
        unknown_sender=unknown_sender,
        flagged=bool(flags),
        flags=flags,
        raw_message=_store_raw(raw, subject),
        sent_at=sent_at,
        sent_by=agent,
    )
    add_message(ticket, email, by=agent, direction="outbound" if agent else "inbound")
    if attachments:
        documents = _store_documents(attachments)
        email.attachments.set(documents)
        if not email.flagged:  # held mail keeps its attachments until an agent accepts it
            attach_documents(ticket, *documents)
    return email


def set_aside_email(
    status: EmailStatus,
    *,
    sender: str,
    subject: str,
    parts: tuple[str, str, list],
    message_id: str,
    flags: list[dict],
    raw: bytes,
    bounce_of: EmailMessage | None = None,
) -> EmailMessage:
    """Keep a message that goes on no ticket (ignored, or quarantined for a manager), with its
    raw message: what it brought stays in there, no document is made of its attachments."""
    text, html, _attachments = parts
    return EmailMessage.objects.create(
        direction=EmailDirection.INBOUND,
        status=status,
        from_address=sender[:320],
        subject=subject[:998],
        text_body=text,
        html_body=sanitise_email_html(html).strip() if html else "",
        message_id=message_id,
        flags=flags,
        raw_message=_store_raw(raw, subject),
        bounce_of=bounce_of,
    )


def resume_ticket(ticket: Ticket, sender: str) -> Ticket:
    """A customer's answer brings a waiting ticket back, and (by default) a closed one."""
    transition = {TicketStatus.WAITING: "resume", TicketStatus.CLOSED: "reopen"}.get(ticket.status)
    if transition is None:
        return ticket
    comment = email_from_comment(sender)
    try:
        return apply_transition(ticket, transition, None, comment, check_permission=False)
    except TransitionRefused:  # pragma: no cover - the ticket row is locked since find_thread
        return ticket


def open_ticket_from_email(
    subject: str, description: str, sender_name: str, sender: str
) -> tuple[Ticket, Outcome]:
    """A new ticket from the message, on the sender's contact (found or new)."""
    contact = _contact(sender_name, sender)
    ticket = open_ticket(
        by=None,
        channel="email",
        title=subject[:255] or _("(no subject)"),
        description=description,
        contact=contact,
        account=contact.account,
    )
    return ticket, Outcome.NEW_TICKET


def _contact(name: str, address: str) -> Contact:
    """The contact with this address (any case), or a new one named after the sender."""
    if found := Contact.objects.filter(email__iexact=address).order_by("pk").first():
        return found
    name = " ".join(name.replace('"', "").split())
    if "," in name:  # "Martin, Claire"
        last, first = (part.strip() for part in name.split(",", 1))
    elif " " in name:
        first, last = name.rsplit(" ", 1)
    else:
        first, last = "", name
    last = last or address.partition("@")[0]
    return Contact.objects.create(first_name=first[:100], last_name=last[:100], email=address)


def _store_documents(parts: list[AnymailInboundMessage]) -> list[Model]:
    """Each attachment (inline images too) as a private document: never a public URL."""
    documents = []
    for number, part in enumerate(parts, start=1):
        title, filename = attachment_names(part, number)
        file = ContentFile(content_bytes(part), name=filename)
        documents.append(store_private_document(title, file))
    return documents


def _store_raw(raw: bytes, subject: str) -> Model:
    """The message as received, as a private document: what was over a limit is in it."""
    file = ContentFile(raw, name="original-message.eml")
    return store_private_document(f"{subject[:200] or 'message'}.eml", file)


def move_delivery_status(event: AnymailTrackingEvent) -> int:
    """Move the status of the email the ESP reports on, only forward; how many emails changed."""
    if not event.message_id or event.event_type not in DELIVERY_MOVES:
        return 0
    status, sources = DELIVERY_MOVES[event.event_type]
    return EmailMessage.objects.filter(
        esp_message_id=event.message_id, direction=EmailDirection.OUTBOUND, status__in=sources
    ).update(status=status, updated_at=timezone.now())
