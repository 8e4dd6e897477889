"""Reading an incoming email into plain values: lenient, since anyone can send anything.

Nothing here touches the database: addresses, subject, bodies, Message-IDs, attachments, and
whether a machine wrote the message, read from an anymail inbound message.
"""

import hashlib
import re
from datetime import UTC, datetime
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.core.exceptions import SuspiciousOperation

from ticketing.mail.services import inbound_checks
from ticketing.mail.services.email_decoding import clean, decode_header_value
from ticketing.mail.services.email_mime import (  # noqa: F401 - read from here by the pipeline
    attachment_names,
    content_bytes,
    read_parts,
    repair_headers,
)

# RFC 3834 and the headers that autoresponders, list servers and Exchange set in practice.
AUTOMATED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATED_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")
DAEMON_MAILBOXES = {"mailer-daemon", "postmaster"}
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 50  # the newest ones: enough to find a thread, too few to abuse the query
MAX_ID_LENGTH = 998  # EmailMessage.message_id
FOLDING = re.compile(r"\r?\n(?=[ \t])")


class InboundEmailRejected(SuspiciousOperation):
    """The message cannot be taken in at all; nothing was stored (the webhook answers 400)."""


class InboundEmailTooLarge(InboundEmailRejected):
    pass


class InboundEmailMalformed(InboundEmailRejected):
    pass


def read_raw_message(message: AnymailInboundMessage) -> bytes:
    """The message as bytes, once it is known to be within the depth and size limits."""
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
    return raw


def automated_reason(message: AnymailInboundMessage) -> str | None:
    """Why the message was written by a machine (auto-reply, bounce, list), or None."""
    auto_submitted = read_header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = read_header(message, "Precedence").lower()
    if precedence in AUTOMATED_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in AUTOMATED_FLAG_HEADERS:
        if name in message:
            return name
    if message.get_content_type() == "multipart/report":  # DSN, read receipt (RFC 6522)
        return f"report: {message.get_param('report-type', 'unknown')}"
    if read_header(message, "Return-Path") == "<>" or message.envelope_sender == "":
        return "null sender"
    mailbox = _first_address(message, "From")[1].partition("@")[0].lower()
    if mailbox in DAEMON_MAILBOXES:
        return f"sent by {mailbox}"
    return None


def _flatten(message: AnymailInboundMessage) -> bytes:
    try:
        return message.as_bytes()
    except (LookupError, TypeError, ValueError, RecursionError) as error:
        raise InboundEmailMalformed(f"The message cannot be read: {error}") from error


def read_header(message: AnymailInboundMessage, name: str) -> str:
    """The first `name` header as text: raw 8-bit bytes and mislabelled encoded words decoded
    as the sender meant (`email_decoding`), never by the standard library's lossy guess."""
    return next(iter(_raw_headers(message, name)), "")


def _raw_headers(message: AnymailInboundMessage, name: str) -> list[str]:
    name = name.lower()
    return [
        clean(decode_header_value(_unfold(value)))
        for key, value in message.raw_items()
        if key.lower() == name
    ]


def _unfold(value) -> str:
    return FOLDING.sub("", str(value))


def read_addresses(message: AnymailInboundMessage, name: str) -> list[tuple[str, str]]:
    """Every address of every `name` header, in order; display names decoded, the address
    itself never (an encoded word there is not an address of ours: see `is_plain_address`)."""
    values = [_unfold(value) for key, value in message.raw_items() if key.lower() == name.lower()]
    found = []
    for display, address in getaddresses(values):
        address = _repair_address(
            decode_header_value(address) if not address.isascii() else address
        )
        if "@" in address:
            found.append((clean(decode_header_value(display)), address))
    return found


def _repair_address(address: str) -> str:
    """What mailers get wrong in practice: a trailing dot, stray quotes or brackets."""
    address = clean(address).strip("<>")
    if len(address) > 2 and address[0] == address[-1] and address[0] in "'\"":
        address = address[1:-1]  # 'user@example.com', quoted whole
    local, at, domain = address.rpartition("@")
    return f"{local}{at}{domain.strip('.')}" if at else address


def is_plain_address(address: str) -> bool:
    """An address as written, not an encoded word (`=?utf-8?Q?agent?=@example.com`), which
    mail clients display decoded: never taken for one of our agents' or our own addresses."""
    return "=?" not in address and "?=" not in address


def _first_address(message: AnymailInboundMessage, name: str) -> tuple[str, str]:
    return next(iter(read_addresses(message, name)), ("", ""))


SENDER_HEADERS = ("From", "Sender", "Reply-To", "Return-Path")


def read_sender(message: AnymailInboundMessage) -> tuple[str, str]:
    """The first valid address of From (a message may have two), else Sender, Reply-To,
    Return-Path: the order in which they name who wrote it."""
    for header in SENDER_HEADERS:
        for name, address in read_addresses(message, header):
            if len(address) <= 254 and " " not in address.partition("@")[2]:
                return name, address
    raise InboundEmailMalformed("The message has no valid sender address (From).")


def own_addresses() -> set[str]:
    configured = [settings.DEFAULT_FROM_EMAIL, *settings.GUICHET_OWN_ADDRESSES]
    return {parseaddr(each)[1].lower() for each in configured} - {""}


def parse_ids(header: str) -> list[str]:
    found = MESSAGE_ID.findall(header) or header.split()
    return list(dict.fromkeys(found))[-MAX_REFERENCES:]


def read_message_id(message: AnymailInboundMessage) -> str:
    found = parse_ids(read_header(message, "Message-ID"))
    return found[0] if found and len(found[0]) <= MAX_ID_LENGTH else ""


def fallback_message_id(
    message: AnymailInboundMessage, sender: str, parts: tuple[str, str, list]
) -> str:
    """An id for a message without one, from what the sender wrote and nothing a relay or the
    ESP adds (trace headers, the MIME boundaries anymail draws when it rebuilds a message from
    parsed fields): a redelivery, by any road, gets the same id."""
    text, html, attachments = parts
    digest = hashlib.sha256()
    recipients = sorted(
        a.lower() for name in ("To", "Cc") for _n, a in read_addresses(message, name)
    )
    date = read_date(message)
    stable = [
        sender.lower(),
        date.isoformat() if date else "",
        read_header(message, "Subject"),
        " ".join(recipients),
        " ".join(text.split()),
        " ".join(html.split()),
    ]
    for value in stable:
        digest.update(hashlib.sha256(value.encode()).digest())
    for part in attachments:
        digest.update(hashlib.sha256(content_bytes(part)).digest())
    return f"{digest.hexdigest()}@inbound.guichet.invalid"


def read_date(message: AnymailInboundMessage) -> datetime | None:
    try:
        sent = parsedate_to_datetime(read_header(message, "Date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return sent if sent.tzinfo else sent.replace(tzinfo=UTC)
