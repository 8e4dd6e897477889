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
from ticketing.mail.choices import EmailStatus
from ticketing.mail.email_html import html_to_text
from ticketing.mail.models import EmailMessage
from ticketing.mail.services import inbound_checks
from ticketing.mail.services.email_bounces import bounced_email, is_delivery_report, mark_bounced
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
    set_aside_email,
    store_inbound_email,
)
from ticketing.mail.services.email_threading import (
    find_thread,
    knows_sender,
    staff_member,
    ticket_for,
)

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
    """Store an incoming email on its ticket (found or new), or None when it goes on none.

    Auto-replies, bounces and our own mail are kept as ignored messages, mail that cannot be
    taken in (no sender, unreadable) as quarantined ones, each with its raw message; a
    Message-ID seen before is logged and dropped. Raises `InboundEmailRejected` (nothing
    stored) only when the message is too large or nested too deep to read at all.
    """
    receipt = file_inbound_email(message)
    return receipt.email if receipt.outcome in ON_A_TICKET else None


ON_A_TICKET = {Outcome.NEW_TICKET, Outcome.ADDED_TO_TICKET}
# What the standard library raises on mail it cannot make sense of.
UNREADABLE = (LookupError, TypeError, ValueError, AttributeError, IndexError, AssertionError)


def file_inbound_email(message: AnymailInboundMessage) -> Receipt:
    """`receive_email`, telling also what happened: for the command's report."""
    raw = read_raw_message(message)
    message = repair_headers(message)
    problem = ""
    try:
        parts = read_parts(message)
    except UNREADABLE as error:
        parts, problem = ("", "", []), f"{type(error).__name__}: {error}"
    try:
        sender_name, sender = read_sender(message)
    except InboundEmailMalformed as error:
        sender_name, sender, problem = "", "", problem or str(error)
    message_id = read_message_id(message) or fallback_message_id(message, sender, parts)
    try:
        with transaction.atomic():
            if EmailMessage.objects.filter(message_id=message_id).exists():
                return _duplicate(message_id)
            if reason := automated_reason(message):
                return _set_aside_automated(message, message_id, sender, parts, raw, reason)
            if problem:
                return _set_aside(Outcome.QUARANTINED, email_flags.UNREADABLE, problem,
                                  message, message_id, sender, parts, raw)  # fmt: skip
            if sender.lower() in own_addresses():
                return _set_aside(Outcome.OWN_ADDRESS, email_flags.OWN_ADDRESS, sender,
                                  message, message_id, sender, parts, raw)  # fmt: skip
            return _file(message, message_id, sender_name, sender, parts, raw)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it first.
        if EmailMessage.objects.filter(message_id=message_id).exists():
            return _duplicate(message_id)
        raise


def _set_aside_automated(message, message_id, sender, parts, raw, reason) -> Receipt:
    """A machine's message: a bounce of ours marks the email it bounces, the rest is ignored."""
    bounced = bounced_email(message) if is_delivery_report(message) else None
    if bounced is None:
        return _set_aside(Outcome.AUTOMATED, email_flags.AUTOMATED, reason,
                          message, message_id, sender, parts, raw)  # fmt: skip
    mark_bounced(bounced, message)
    logger.info("Inbound email is a bounce of email %s", bounced.pk)
    return _set_aside(Outcome.BOUNCE, email_flags.BOUNCE, bounced.last_error[:200],
                      message, message_id, sender, parts, raw, bounce_of=bounced)  # fmt: skip


def _set_aside(outcome, code, detail, message, message_id, sender, parts, raw, bounce_of=None):
    status = EmailStatus.QUARANTINED if outcome == Outcome.QUARANTINED else EmailStatus.IGNORED
    email = set_aside_email(
        status,
        sender=sender,
        subject=clean(read_header(message, "Subject")),
        parts=parts,
        message_id=message_id,
        flags=[email_flags.flag(code, detail=detail)],
        raw=raw,
        bounce_of=bounce_of,
    )
    logger.info("Inbound email %s set aside as %s (%s)", email.pk, status, detail)
    return Receipt(outcome, email, reason=detail)


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
    agent = staff_member(sender) if thread is not None else None
    stranger = thread is not None and agent is None and not knows_sender(thread, sender)
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
            thread,
            subject,
            description,
            (sender_name, sender),
            unknown_sender,
            over_rate,
            flags,
            agent=agent,
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
        raw=raw,
        agent=agent,
    )
    logger.info("Inbound email %s: %s %s", email.pk, outcome, ticket.number)
    return Receipt(outcome, email)


def _duplicate(message_id: str) -> Receipt:
    logger.info("Inbound email ignored: Message-ID %s was received before", message_id)
    return Receipt(Outcome.DUPLICATE, reason=message_id)
