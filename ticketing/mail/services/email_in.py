"""Email into tickets: thread replies, open new tickets, keep attachments, never loop (S13).

Every way in (anymail's inbound webhook, `manage.py receive_email`) ends in `receive_email`.
Tracking webhooks end in `record_delivery_event`, which moves the status of what we sent.
This module only orchestrates: reading the message is `email_parsing`, finding its ticket is
`email_threading`, writing it down is `email_storing`.
"""

import logging

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailTrackingEvent
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from ticketing.mail import email_flags
from ticketing.mail.email_html import html_to_text
from ticketing.mail.models import EmailMessage
from ticketing.mail.services import inbound_checks
from ticketing.mail.services.email_parsing import (
    InboundEmailMalformed,
    InboundEmailRejected,
    InboundEmailTooLarge,
    automated_reason,
    clean,
    fallback_message_id,
    own_addresses,
    parse_ids,
    read_addresses,
    read_date,
    read_header,
    read_message_id,
    read_parts,
    read_raw_message,
    read_sender,
    repair_headers,
)
from ticketing.mail.services.email_storing import (
    Outcome,
    Receipt,
    move_delivery_status,
    store_inbound_email,
)
from ticketing.mail.services.email_threading import find_thread, knows_sender, ticket_for

__all__ = [
    "InboundEmailMalformed",
    "InboundEmailRejected",
    "InboundEmailTooLarge",
    "Outcome",
    "Receipt",
    "automated_reason",
    "file_inbound_email",
    "receive_email",
    "record_delivery_event",
]

logger = logging.getLogger(__name__)


def receive_email(message: AnymailInboundMessage) -> EmailMessage | None:
    """Store an incoming email on its ticket (found or new), or None when it must be ignored.

    Auto-replies, bounces, our own mail and a Message-ID seen before are logged and dropped.
    Raises `InboundEmailRejected` (nothing stored) when the message is too large or has no sender.
    """
    return file_inbound_email(message).email


def file_inbound_email(message: AnymailInboundMessage) -> Receipt:
    """`receive_email`, telling also what happened: for the command's report."""
    raw = read_raw_message(message)
    message = repair_headers(message)
    if reason := automated_reason(message):
        logger.info("Inbound email ignored as automated (%s)", reason)
        return Receipt(Outcome.AUTOMATED, reason=reason)
    sender_name, sender = read_sender(message)
    if sender.lower() in own_addresses():
        logger.info("Inbound email ignored: sent from our own address %s", sender)
        return Receipt(Outcome.OWN_ADDRESS, reason=sender)
    parts = read_parts(message)
    message_id = read_message_id(message) or fallback_message_id(message, sender, parts)
    try:
        with transaction.atomic():
            if EmailMessage.objects.filter(message_id=message_id).exists():
                return _duplicate(message_id)
            return _file(message, message_id, sender_name, sender, parts, raw)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it first.
        if EmailMessage.objects.filter(message_id=message_id).exists():
            return _duplicate(message_id)
        raise


def record_delivery_event(event: AnymailTrackingEvent) -> int:
    """Move the status of the email the ESP reports on; how many emails changed.

    Only forward: "delivered" never undoes a bounce or a failure, and nothing goes back to
    "sent". A late bounce after "delivered" is kept: the agent must see it.
    """
    return move_delivery_status(event)


def _file(
    message: AnymailInboundMessage,
    message_id: str,
    sender_name: str,
    sender: str,
    parts: tuple[str, str, list[AnymailInboundMessage]],
    raw: bytes,
) -> Receipt:
    subject = clean(read_header(message, "Subject"))
    text, html, attachments = parts
    in_reply_to = parse_ids(read_header(message, "In-Reply-To"))
    references = parse_ids(read_header(message, "References"))
    thread = find_thread(in_reply_to + references[::-1], subject)
    stranger = thread is not None and not knows_sender(thread, sender)
    # The provider's verdict weighs too: a sender who failed its checks is nobody we know.
    verdict = inbound_checks.sender_verdict(message)
    unknown_sender = stranger or bool(verdict)
    flags = [email_flags.flag(email_flags.UNKNOWN_SENDER)] if stranger else []
    flags += verdict
    to, cc, over_recipients = inbound_checks.cap_recipients(
        [address for _name, address in read_addresses(message, "To")],
        [address for _name, address in read_addresses(message, "Cc")],
    )
    attachments, over_attachments = inbound_checks.cap_attachments(attachments)
    over_rate = inbound_checks.sender_rate(sender)
    flags += over_recipients + over_attachments + over_rate
    description = text or html_to_text(html)
    with translation.override(settings.LANGUAGE_CODE):
        ticket, outcome = ticket_for(
            thread, subject, description, (sender_name, sender), unknown_sender, over_rate, flags
        )
    email = store_inbound_email(
        ticket,
        sender=sender,
        to=to,
        cc=cc,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        sent_at=read_date(message),
        unknown_sender=unknown_sender,
        flags=flags,
        raw_over_limit=raw if over_recipients or over_attachments else None,
    )
    logger.info("Inbound email %s: %s %s", email.pk, outcome, ticket.number)
    return Receipt(outcome, email)


def _duplicate(message_id: str) -> Receipt:
    logger.info("Inbound email ignored: Message-ID %s was received before", message_id)
    return Receipt(Outcome.DUPLICATE, reason=message_id)
