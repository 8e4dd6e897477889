"""Reading an incoming email into plain values: lenient, since anyone can send anything.

Nothing here touches the database: addresses, subject, bodies, Message-IDs, attachments, and
whether a machine wrote the message, read from an anymail inbound message.
"""

import hashlib
import mimetypes
import re
from datetime import UTC, datetime
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import PurePosixPath

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.utils.text import get_valid_filename

from ticketing.mail.services import inbound_checks

# RFC 3834 and the headers that autoresponders, list servers and Exchange set in practice.
AUTOMATED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATED_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")
DAEMON_MAILBOXES = {"mailer-daemon", "postmaster"}
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 50  # the newest ones: enough to find a thread, too few to abuse the query
MAX_ID_LENGTH = 998  # EmailMessage.message_id
BODY_TYPES = {"text/plain", "text/html"}


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
    try:
        value = message.get(name)
    except (IndexError, LookupError, TypeError, ValueError, AttributeError):
        # The standard library's header parser has crashed on hostile headers before.
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return clean("" if value is None else str(value))


def read_addresses(message: AnymailInboundMessage, name: str) -> list[tuple[str, str]]:
    pairs = getaddresses([read_header(message, name)])
    return [(display, address) for display, address in pairs if "@" in address]


def _first_address(message: AnymailInboundMessage, name: str) -> tuple[str, str]:
    return next(iter(read_addresses(message, name)), ("", ""))


def read_sender(message: AnymailInboundMessage) -> tuple[str, str]:
    name, address = _first_address(message, "From")
    if not address or len(address) > 254:
        raise InboundEmailMalformed("The message has no valid sender address (From).")
    return name, address


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


def read_parts(message: AnymailInboundMessage) -> tuple[str, str, list[AnymailInboundMessage]]:
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
    return clean(re.sub(r"\r\n?", "\n", text), keep_lines=True)


def content_bytes(part: AnymailInboundMessage) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        return inner[0].as_bytes() if isinstance(inner, list) and inner else b""
    return part.get_payload(decode=True) or b""


def attachment_names(part: AnymailInboundMessage, number: int) -> tuple[str, str]:
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
    return read_header(inner[0], "Subject")[:200] if isinstance(inner, list) and inner else ""


def _filename(part: AnymailInboundMessage) -> str:
    try:
        return clean(part.get_filename() or "")
    except (LookupError, TypeError, ValueError):
        return ""


def clean(value: str, keep_lines: bool = False) -> str:
    # PostgreSQL refuses NUL characters in text; headers have no business with line breaks.
    value = value.replace("\x00", "")
    return value if keep_lines else " ".join(value.split())
