"""Email into tickets: thread replies, open new tickets, keep attachments, never loop (S13).

Every way in (anymail's inbound webhook, `manage.py receive_email`) ends in `receive_email`.
Tracking webhooks end in `record_delivery_event`, which moves the status of what we sent.
"""

import hashlib
import logging
import mimetypes
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from enum import StrEnum
from pathlib import PurePosixPath

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailTrackingEvent, EventType
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from ticketing.common.documents import ticket_documents_collection
from ticketing.common.numbering import format_ticket_number
from ticketing.common.people import support_staff
from ticketing.mail import email_flags
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_html import html_to_text, sanitise_email_html
from ticketing.mail.models import EmailMessage
from ticketing.mail.services import inbound_checks
from ticketing.parties.models import Contact
from ticketing.records.documents import attach_documents
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import TransitionRefused, apply_transition
from ticketing.tickets.system_comments import email_from_comment

logger = logging.getLogger(__name__)

# RFC 3834 and the headers that autoresponders, list servers and Exchange set in practice.
AUTOMATED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATED_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")
DAEMON_MAILBOXES = {"mailer-daemon", "postmaster"}
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 50  # the newest ones: enough to find a thread, too few to abuse the query
MAX_ID_LENGTH = 998  # EmailMessage.message_id
BODY_TYPES = {"text/plain", "text/html"}
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


class InboundEmailRejected(SuspiciousOperation):
    """The message cannot be taken in at all; nothing was stored (the webhook answers 400)."""


class InboundEmailTooLarge(InboundEmailRejected):
    pass


class InboundEmailMalformed(InboundEmailRejected):
    pass


class Outcome(StrEnum):
    NEW_TICKET = "new ticket"
    ADDED_TO_TICKET = "added to ticket"
    AUTOMATED = "auto-reply or bounce"
    OWN_ADDRESS = "own address"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Receipt:
    outcome: Outcome
    email: EmailMessage | None = None
    reason: str = ""  # why nothing was stored


def receive_email(message: AnymailInboundMessage) -> EmailMessage | None:
    """Store an incoming email on its ticket (found or new), or None when it must be ignored.

    Auto-replies, bounces, our own mail and a Message-ID seen before are logged and dropped.
    Raises `InboundEmailRejected` (nothing stored) when the message is too large or has no sender.
    """
    return file_inbound_email(message).email


def file_inbound_email(message: AnymailInboundMessage) -> Receipt:
    """`receive_email`, telling also what happened: for the command's report."""
    if inbound_checks.mime_depth(message) > inbound_checks.MAX_MIME_DEPTH:
        raise InboundEmailMalformed(
            f"The message's parts nest more than {inbound_checks.MAX_MIME_DEPTH} levels deep."
        )
    raw = _flatten(message)
    if len(raw) > settings.GUICHET_INBOUND_MAX_BYTES:
        raise InboundEmailTooLarge(
            f"The message is {len(raw):,} bytes; the limit is "
            f"{settings.GUICHET_INBOUND_MAX_BYTES:,} (GUICHET_INBOUND_MAX_BYTES)."
        )
    if reason := automated_reason(message):
        logger.info("Inbound email ignored as automated (%s)", reason)
        return Receipt(Outcome.AUTOMATED, reason=reason)
    sender_name, sender = _sender(message)
    if sender.lower() in _own_addresses():
        logger.info("Inbound email ignored: sent from our own address %s", sender)
        return Receipt(Outcome.OWN_ADDRESS, reason=sender)
    parts = _read_parts(message)
    message_id = _message_id(message) or _fallback_message_id(message, sender, parts)
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


def automated_reason(message: AnymailInboundMessage) -> str | None:
    """Why the message was written by a machine (auto-reply, bounce, list), or None."""
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "Precedence").lower()
    if precedence in AUTOMATED_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in AUTOMATED_FLAG_HEADERS:
        if name in message:
            return name
    if message.get_content_type() == "multipart/report":  # DSN, read receipt (RFC 6522)
        return f"report: {message.get_param('report-type', 'unknown')}"
    if _header(message, "Return-Path") == "<>" or message.envelope_sender == "":
        return "null sender"
    mailbox = _first_address(message, "From")[1].partition("@")[0].lower()
    if mailbox in DAEMON_MAILBOXES:
        return f"sent by {mailbox}"
    return None


def record_delivery_event(event: AnymailTrackingEvent) -> int:
    """Move the status of the email the ESP reports on; how many emails changed.

    Only forward: "delivered" never undoes a bounce or a failure, and nothing goes back to
    "sent". A late bounce after "delivered" is kept: the agent must see it.
    """
    if not event.message_id or event.event_type not in DELIVERY_MOVES:
        return 0
    status, sources = DELIVERY_MOVES[event.event_type]
    return EmailMessage.objects.filter(
        esp_message_id=event.message_id, direction=EmailDirection.OUTBOUND, status__in=sources
    ).update(status=status, updated_at=timezone.now())


# ----------------------------------------------------------------------------------------------
# Filing the message
# ----------------------------------------------------------------------------------------------


def _file(
    message: AnymailInboundMessage,
    message_id: str,
    sender_name: str,
    sender: str,
    parts: tuple[str, str, list[AnymailInboundMessage]],
    raw: bytes,
) -> Receipt:
    subject = _clean(_header(message, "Subject"))
    text, html, attachments = parts
    in_reply_to = _ids(_header(message, "In-Reply-To"))
    references = _ids(_header(message, "References"))
    thread = _find_thread(in_reply_to + references[::-1], subject)
    stranger = thread is not None and not _knows(thread, sender)
    # The provider's verdict weighs too: a sender who failed its checks is nobody we know.
    verdict = inbound_checks.sender_verdict(message)
    unknown_sender = stranger or bool(verdict)
    flags = [email_flags.flag(email_flags.UNKNOWN_SENDER)] if stranger else []
    flags += verdict
    to, cc, over_recipients = inbound_checks.cap_recipients(
        [address for _name, address in _addresses(message, "To")],
        [address for _name, address in _addresses(message, "Cc")],
    )
    attachments, over_attachments = inbound_checks.cap_attachments(attachments)
    over_rate = inbound_checks.sender_rate(sender)
    flags += over_recipients + over_attachments + over_rate
    description = text or html_to_text(html)
    with translation.override(settings.LANGUAGE_CODE):
        ticket, outcome = _ticket_for(
            thread, subject, description, (sender_name, sender), unknown_sender, over_rate, flags
        )
    email = EmailMessage.objects.create(
        ticket=ticket,
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
        raw_message=_store_raw(raw, subject) if over_recipients or over_attachments else None,
        sent_at=_date(message),
    )
    if attachments:
        documents = _store_documents(attachments)
        email.attachments.set(documents)
        if not email.flagged:  # held mail keeps its attachments until an agent accepts it
            attach_documents(ticket, *documents)
    logger.info("Inbound email %s: %s %s", email.pk, outcome, ticket.number)
    return Receipt(outcome, email)


def _ticket_for(
    thread: Ticket | None,
    subject: str,
    text: str,
    sender: tuple[str, str],
    unknown_sender: bool,
    over_rate: list[dict],
    flags: list[dict],
) -> tuple[Ticket, Outcome]:
    """The ticket the message goes on, opened or moved on as the message allows."""
    sender_name, address = sender
    if over_rate and (ticket := thread or _latest_ticket_of(address)):
        # A flood opens no tickets: it waits, flagged, where the sender last wrote.
        return ticket, Outcome.ADDED_TO_TICKET
    if thread is None:
        return _open_ticket(subject, text, sender_name, address)
    if thread.status == TicketStatus.CLOSED and (
        settings.GUICHET_REPLY_TO_CLOSED == "new" or unknown_sender
    ):
        # A stranger who knows a ticket number must not be able to reopen it.
        follow_up = _("This email replied to %(number)s, which is closed.") % {
            "number": thread.number
        }
        return _open_ticket(subject, f"{follow_up}\n\n{text}", sender_name, address)
    if flags:  # held mail never moves the status
        return thread, Outcome.ADDED_TO_TICKET
    return _resume(thread, address), Outcome.ADDED_TO_TICKET


def _latest_ticket_of(sender: str) -> Ticket | None:
    latest = (
        EmailMessage.objects.filter(
            direction=EmailDirection.INBOUND, from_address__iexact=sender, ticket__isnull=False
        )
        .order_by("-created_at", "-pk")
        .values_list("ticket_id", flat=True)
        .first()
    )
    return Ticket.objects.select_for_update(of=("self",)).filter(pk=latest).first()


def _find_thread(ids: list[str], subject: str) -> Ticket | None:
    """The ticket of a message this one answers, else the ticket named in the subject."""
    # Locked, so that an agent's status change cannot cross ours; the contact tells who is known.
    tickets = Ticket.objects.select_for_update(of=("self",)).select_related("contact")
    if ids:
        found = dict(
            EmailMessage.objects.filter(message_id__in=ids, ticket__isnull=False).values_list(
                "message_id", "ticket_id"
            )
        )
        for message_id in ids:
            if message_id in found:
                return tickets.get(pk=found[message_id])
    prefix = re.escape(settings.GUICHET_TICKET_NUMBER_PREFIX)
    for digits in re.findall(rf"\[\s*{prefix}(\d{{1,18}})\s*\]", subject, re.IGNORECASE):
        if ticket := tickets.filter(number=format_ticket_number(int(digits))).first():
            return ticket
    return None


def _knows(ticket: Ticket, address: str) -> bool:
    """Whether `address` is the ticket's contact, one we wrote to on it, a sender of mail taken
    in on it (not held, or accepted by an agent), or one of the support staff.

    Held mail makes nobody known: else a stranger's second email would pass for a customer's.
    """
    address = address.lower()
    if ticket.contact and ticket.contact.email.lower() == address:
        return True
    rows = ticket.emails.values_list("direction", "from_address", "to", "cc", "flagged",
                                     "accepted_at")  # fmt: skip
    for direction, sender, to, cc, flagged, accepted_at in rows:
        if direction == EmailDirection.OUTBOUND:
            seen = [*(to or []), *(cc or [])]
        else:
            seen = [sender] if not flagged or accepted_at else []
        if address in {parseaddr(str(each))[1].lower() for each in seen}:
            return True
    return support_staff().filter(email__iexact=address).exists()


def _resume(ticket: Ticket, sender: str) -> Ticket:
    """A customer's answer brings a waiting ticket back, and (by default) a closed one."""
    transition = {TicketStatus.WAITING: "resume", TicketStatus.CLOSED: "reopen"}.get(ticket.status)
    if transition is None:
        return ticket
    comment = email_from_comment(sender)
    try:
        return apply_transition(ticket, transition, None, comment, check_permission=False)
    except TransitionRefused:  # pragma: no cover - the ticket row is locked since _find_thread
        return ticket


def _open_ticket(
    subject: str, description: str, sender_name: str, sender: str
) -> tuple[Ticket, Outcome]:
    contact = _contact(sender_name, sender)
    ticket = Ticket(
        title=subject[:255] or _("(no subject)"),
        description=description,
        contact=contact,
        account=contact.account,
    )
    ticket.save()
    log(ticket, "wagtail.create", content_changed=True)
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
    document_model = get_document_model()
    collection = ticket_documents_collection()
    documents = []
    for number, part in enumerate(parts, start=1):
        title, filename = _attachment_names(part, number)
        document = document_model(
            title=title,
            file=ContentFile(_content_bytes(part), name=filename),
            collection=collection,
        )
        document._set_document_file_metadata()
        document.save()
        documents.append(document)
    return documents


def _store_raw(raw: bytes, subject: str) -> Model:
    """The message as received, as a private document: what was over a limit is in it."""
    document = get_document_model()(
        title=f"{subject[:200] or 'message'}.eml",
        file=ContentFile(raw, name="original-message.eml"),
        collection=ticket_documents_collection(),
    )
    document._set_document_file_metadata()
    document.save()
    return document


def _duplicate(message_id: str) -> Receipt:
    logger.info("Inbound email ignored: Message-ID %s was received before", message_id)
    return Receipt(Outcome.DUPLICATE, reason=message_id)


# ----------------------------------------------------------------------------------------------
# Reading the message: lenient, since anyone can send anything
# ----------------------------------------------------------------------------------------------


def _flatten(message: AnymailInboundMessage) -> bytes:
    try:
        return message.as_bytes()
    except (LookupError, TypeError, ValueError, RecursionError) as error:
        raise InboundEmailMalformed(f"The message cannot be read: {error}") from error


def _header(message: AnymailInboundMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (IndexError, LookupError, TypeError, ValueError, AttributeError):
        # The standard library's header parser has crashed on hostile headers before.
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return _clean("" if value is None else str(value))


def _addresses(message: AnymailInboundMessage, name: str) -> list[tuple[str, str]]:
    pairs = getaddresses([_header(message, name)])
    return [(display, address) for display, address in pairs if "@" in address]


def _first_address(message: AnymailInboundMessage, name: str) -> tuple[str, str]:
    return next(iter(_addresses(message, name)), ("", ""))


def _sender(message: AnymailInboundMessage) -> tuple[str, str]:
    name, address = _first_address(message, "From")
    if not address or len(address) > 254:
        raise InboundEmailMalformed("The message has no valid sender address (From).")
    return name, address


def _own_addresses() -> set[str]:
    configured = [settings.DEFAULT_FROM_EMAIL, *settings.GUICHET_OWN_ADDRESSES]
    return {parseaddr(each)[1].lower() for each in configured} - {""}


def _ids(header: str) -> list[str]:
    found = MESSAGE_ID.findall(header) or header.split()
    return list(dict.fromkeys(found))[-MAX_REFERENCES:]


def _message_id(message: AnymailInboundMessage) -> str:
    found = _ids(_header(message, "Message-ID"))
    return found[0] if found and len(found[0]) <= MAX_ID_LENGTH else ""


def _fallback_message_id(
    message: AnymailInboundMessage, sender: str, parts: tuple[str, str, list]
) -> str:
    """An id for a message without one, from what the sender wrote and nothing a relay or the
    ESP adds (trace headers, the MIME boundaries anymail draws when it rebuilds a message from
    parsed fields): a redelivery, by any road, gets the same id."""
    text, html, attachments = parts
    digest = hashlib.sha256()
    recipients = sorted(a.lower() for name in ("To", "Cc") for _n, a in _addresses(message, name))
    date = _date(message)
    stable = [
        sender.lower(),
        date.isoformat() if date else "",
        _header(message, "Subject"),
        " ".join(recipients),
        " ".join(text.split()),
        " ".join(html.split()),
    ]
    for value in stable:
        digest.update(hashlib.sha256(value.encode()).digest())
    for part in attachments:
        digest.update(hashlib.sha256(_content_bytes(part)).digest())
    return f"{digest.hexdigest()}@inbound.guichet.invalid"


def _date(message: AnymailInboundMessage) -> datetime | None:
    try:
        sent = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)


def _read_parts(message: AnymailInboundMessage) -> tuple[str, str, list[AnymailInboundMessage]]:
    """The text and HTML bodies, and the parts to keep as documents.

    A forwarded message (message/rfc822) is kept whole as an .eml document: its own bodies and
    attachments are not mixed into this message's.
    """
    texts, htmls, attachments = [], [], []
    pending = [message]
    while pending:
        part = pending.pop(0)
        content_type = part.get_content_type()
        if part.get_content_maintype() == "multipart":
            pending[:0] = list(part.iter_parts())
        elif part.is_attachment() or _filename(part) or content_type not in BODY_TYPES:
            attachments.append(part)  # images, documents, forwarded messages, calendars…
        elif content_type == "text/plain":
            texts.append(_decode(part))
        else:
            htmls.append(_decode(part))
    return "\n".join(texts).strip(), "\n".join(htmls).strip(), attachments


def _decode(part: AnymailInboundMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "").lower()
    # Mail that says Latin-1 or ASCII is very often Windows-1252 (curly quotes, the euro sign),
    # as browsers assume too; mail that says nothing is usually UTF-8.
    if charset in {"", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}:
        try:
            text = payload.decode("utf-8" if not charset else "ascii")
        except UnicodeDecodeError:
            text = payload.decode("cp1252", errors="replace")
    else:
        try:
            text = payload.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            text = payload.decode("utf-8", errors="replace")
    return _clean(re.sub(r"\r\n?", "\n", text), keep_lines=True)


def _content_bytes(part: AnymailInboundMessage) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        return inner[0].as_bytes() if isinstance(inner, list) and inner else b""
    return part.get_payload(decode=True) or b""


def _attachment_names(part: AnymailInboundMessage, number: int) -> tuple[str, str]:
    """The title agents see (the sender's file name) and a safe name for the storage."""
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        extension = ".eml"
    else:
        extension = mimetypes.guess_extension(content_type) or ".bin"
    title = _filename(part) or f"{_forwarded_subject(part) or f'attachment-{number}'}{extension}"
    name = PurePosixPath(title.replace("\\", "/")).name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, extension.lstrip(".")
    try:
        filename = get_valid_filename(f"{stem[:60]}.{suffix[:10]}")
    except SuspiciousFileOperation:
        filename = f"attachment-{number}{extension}"
    return title[:255], filename


def _forwarded_subject(part: AnymailInboundMessage) -> str:
    inner = part.get_payload() if part.get_content_maintype() == "message" else None
    return _header(inner[0], "Subject")[:200] if isinstance(inner, list) and inner else ""


def _filename(part: AnymailInboundMessage) -> str:
    try:
        return _clean(part.get_filename() or "")
    except (LookupError, TypeError, ValueError):
        return ""


def _clean(value: str, keep_lines: bool = False) -> str:
    # PostgreSQL refuses NUL characters in text; headers have no business with line breaks.
    value = value.replace("\x00", "")
    return value if keep_lines else " ".join(value.split())
