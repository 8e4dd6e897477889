"""The parts of an incoming email: its bodies as text, its attachments, read leniently.

Broken structure is mended rather than lost: a header block the parser gave up on, a
multipart whose boundary never shows, uuencoded attachments without their begin/end lines.
"""

import binascii
import mimetypes
import re
from email import errors
from pathlib import PurePosixPath

from anymail.inbound import AnymailInboundMessage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from ticketing.mail.email_html import html_to_text
from ticketing.mail.services.email_decoding import clean, decode_bytes, decode_header_value

BODY_TYPES = {"text/plain", "text/html"}
HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")


def repair_headers(message: AnymailInboundMessage) -> AnymailInboundMessage:
    """The message again, with its header block mended when the parser gave up on it (a first
    line that is no header, a folded line without its leading space): else every header,
    From included, would be read as body text."""
    if not any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in message.defects):
        return message
    try:
        raw = message.as_bytes()
    except (LookupError, TypeError, ValueError):
        return message
    lines = raw.splitlines(keepends=True)
    # A line or two of text above the headers (a copy-paste, a forwarding tool), no more: else
    # it is a message without headers, and its text is the body.
    start = next((i for i, line in enumerate(lines[:3]) if HEADER_LINE.match(line)), None)
    if start is None:
        return message
    mended = []
    for number, line in enumerate(lines[start:], start=start):
        if not line.strip():  # the end of the headers
            mended += lines[number:]
            break
        mended.append(line if HEADER_LINE.match(line) or line[:1] in b" \t" else b" " + line)
    return AnymailInboundMessage.parse_raw_mime_bytes(b"".join(mended))


def read_parts(message: AnymailInboundMessage) -> tuple[str, str, list[AnymailInboundMessage]]:
    """The text and HTML bodies, and the parts to keep as documents.

    The text is the whole message: when a message mixes text and HTML parts one after the
    other (a text mail with an HTML signature), the HTML ones join it as text, in order; of a
    multipart/alternative, one version. A multipart whose boundary never shows (or does not
    match the lines that look like one) keeps its text as the body. A forwarded message
    (message/rfc822) is kept whole as an .eml document.
    """
    pieces: list[tuple[str, bool]] = []  # (text, whether it was written as HTML)
    htmls: list[str] = []
    attachments: list[AnymailInboundMessage] = []
    _walk(message, pieces, htmls, attachments, depth=0)
    if all(from_html for _text, from_html in pieces):
        text = ""  # an HTML mail: its text is read from the HTML where needed
    else:
        text = "\n\n".join(piece for piece, _from_html in pieces if piece)
    return text.strip(), "\n".join(htmls).strip(), attachments


def _walk(part, pieces: list, htmls: list, attachments: list, depth: int) -> None:
    if part.get_content_maintype() == "multipart":
        children = part.get_payload()
        if not isinstance(children, list) or not children:
            if depth < MAX_REPAIRS:
                _walk(_repaired_multipart(part), pieces, htmls, attachments, depth + 1)
        elif part.get_content_subtype() == "alternative":
            _walk_alternative(children, pieces, htmls, attachments, depth)
        else:
            for child in children:
                _walk(child, pieces, htmls, attachments, depth)
    elif part.is_attachment() or _filename(part) or part.get_content_type() not in BODY_TYPES:
        attachments.append(part)  # images, documents, forwarded messages, calendars…
    elif part.get_content_type() == "text/plain":
        pieces.append((_decode(part).strip(), False))
    else:
        html = _decode(part)
        htmls.append(html)
        pieces.append((html_to_text(html).strip(), True))


def _walk_alternative(children: list, pieces: list, htmls: list, attachments: list, depth: int):
    """One version of the text (the plain one if any), all HTML and attachments kept."""
    versions = []
    for child in children:
        child_pieces: list[tuple[str, bool]] = []
        _walk(child, child_pieces, htmls, attachments, depth)
        if any(text for text, _from_html in child_pieces):
            versions.append(child_pieces)
    plain = [v for v in versions if not any(from_html for _t, from_html in v)]
    if versions:
        pieces.extend((plain or versions)[0])


MAX_REPAIRS = 3
BOUNDARY_LINE = re.compile(rb"^--([^\s]{1,200}?)(?:--)?[ \t]*\r?$", re.MULTILINE)


def _repaired_multipart(part) -> AnymailInboundMessage:
    """A multipart the parser could not split: split on the boundary its lines do use, else
    read it as the text it is (in its own transfer encoding and charset)."""
    body = _payload_bytes(part)
    found = [match.group(1) for match in BOUNDARY_LINE.finditer(body)]
    boundary = next((b for b in found if found.count(b) >= 2 or body.count(b"--" + b) >= 2), None)
    if boundary and boundary.isascii() and b'"' not in boundary:
        head = f'Content-Type: multipart/mixed; boundary="{boundary.decode()}"'
    else:
        encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip()
        head = f"Content-Type: text/plain; charset={_charset(part) or 'unknown-8bit'}\r\n"
        head += f"Content-Transfer-Encoding: {encoding}"
    return AnymailInboundMessage.parse_raw_mime_bytes(head.encode() + b"\r\n\r\n" + body)


def _payload_bytes(part) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, list):  # parts, but none of them: nothing to read
        return b""
    return str(payload).encode("utf-8", "surrogateescape")


def _decode(part: AnymailInboundMessage) -> str:
    try:
        payload = part.get_payload(decode=True) or b""
    except (ValueError, TypeError, AssertionError):  # an undecodable transfer encoding
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    text = decode_bytes(payload, _charset(part))
    return clean(re.sub(r"\r\n?", "\n", text), keep_lines=True)


def _charset(part: AnymailInboundMessage) -> str:
    try:
        return part.get_content_charset() or ""
    except (LookupError, ValueError, TypeError):
        return ""


def content_bytes(part: AnymailInboundMessage) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        return inner[0].as_bytes() if isinstance(inner, list) and inner else b""
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() in UUENCODED:
        return _uudecode(_payload_bytes(part))
    return part.get_payload(decode=True) or b""


UUENCODED = {"x-uuencode", "uuencode", "uue", "x-uue"}


def _uudecode(data: bytes) -> bytes:
    """uuencoded data, with or without its `begin`/`end` lines (the standard library needs
    them, and gives the encoded text back as the content without)."""
    out = bytearray()
    for line in data.splitlines():
        if not line.strip() or line.startswith((b"begin ", b"end")) or line.strip() == b"`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders pad short lines wrongly: Python's own uu module retries this way.
            nbytes = (((line[0] - 32) & 63) * 4 + 5) // 3
            out += binascii.a2b_uu(line[:nbytes])
    return bytes(out)


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
    if not isinstance(inner, list) or not inner:
        return ""
    return clean(decode_header_value(str(inner[0].get("Subject", ""))))[:200]


def _filename(part: AnymailInboundMessage) -> str:
    try:
        return clean(part.get_filename() or "")
    except (LookupError, TypeError, ValueError):
        return ""
