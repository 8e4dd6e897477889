"""What inbound mail is checked for before it reaches a ticket: nesting, authentication, limits.

The standard library's MIME parser and generator, and the JSON decoder, recurse once per level:
a message nested a few hundred levels deep raises RecursionError. So the depth is measured
without recursion, on the raw bytes before parsing where we hold them, and on the parsed tree.
"""

import re
from datetime import timedelta

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.utils import timezone

from ticketing.mail import email_flags
from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage

# Real mail nests a handful of levels (a forward of a forward is about six): far below the
# hundreds where Python's email package runs out of stack.
MAX_MIME_DEPTH = 30
# An ESP's webhook payload is a few levels deep.
MAX_JSON_DEPTH = 64
CONTAINERS = (b"message/rfc822", b"message/global")
BOUNDARY = re.compile(rb"""boundary\*?\s*=\s*(?:"([^"]*)"|([^\s;]+))""", re.IGNORECASE)
# A string, escapes included, in one linear pass: possessive runs never backtrack (a plain
# `[^"\\]+` inside `*` backtracks exponentially on an unterminated string), and a string left
# open runs to the end, where a decoder reads it as a string too, rather than being scanned
# again from each escaped quote inside it.
JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
JSON_BRACKET = re.compile(rb"[\[\]{}]")
AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
FAILED = {"fail", "softfail"}


def raw_mime_depth(raw: bytes, limit: int = MAX_MIME_DEPTH) -> int:
    """How deep the multiparts of a raw message nest, read line by line; stops past `limit`.

    A close estimate (the parse that follows is measured again exactly): enough to keep a
    message nested hundreds of levels deep away from the parser.
    """
    open_parts: list[tuple[bytes | None, bool]] = []  # (boundary or None for a message, digest)
    deepest, in_headers, headers = 0, True, []
    for line in raw.splitlines():
        if in_headers:
            if line.strip():
                headers.append(line)
                continue
            in_headers = False
            content_type, boundary = _content_type(headers)
            headers = []
            if content_type is None:  # no Content-Type: a digest's parts are messages
                in_digest = bool(open_parts) and open_parts[-1][1]
                content_type = b"message/rfc822" if in_digest else b"text/plain"
            if content_type.startswith(b"multipart/") and boundary:
                open_parts.append((boundary, content_type == b"multipart/digest"))
            elif content_type in CONTAINERS:
                open_parts.append((None, False))
                in_headers = True
            deepest = max(deepest, len(open_parts))
            if deepest > limit:
                return deepest
        elif line.startswith(b"--"):
            in_headers = _close_or_next(open_parts, line[2:].rstrip())
    return deepest


def _close_or_next(open_parts: list[tuple[bytes | None, bool]], marker: bytes) -> bool:
    """Apply a boundary line; whether a part's headers follow."""
    for index in range(len(open_parts) - 1, -1, -1):
        boundary = open_parts[index][0]
        if boundary is None:
            continue
        if marker == boundary + b"--":
            del open_parts[index:]
            return False
        if marker == boundary:
            del open_parts[index + 1 :]
            return True
    return False


def _content_type(headers: list[bytes]) -> tuple[bytes | None, bytes]:
    unfolded: list[bytes] = []
    for line in headers:
        if line[:1] in (b" ", b"\t") and unfolded:
            unfolded[-1] += line
        else:
            unfolded.append(line)
    for line in unfolded:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            found = BOUNDARY.search(value)
            boundary = (found.group(1) or found.group(2)) if found else b""
            if found and found.group(0)[8:9] == b"*":  # RFC 2231: charset'language'value
                boundary = boundary.rpartition(b"'")[2]
            return value.split(b";")[0].strip().lower(), boundary
    return None, b""


def mime_depth(message: AnymailInboundMessage, limit: int = MAX_MIME_DEPTH) -> int:
    """How deep a parsed message's parts nest (without recursion); stops past `limit`."""
    deepest, pending = 0, [(message, 0)]
    while pending:
        part, depth = pending.pop()
        if not part.is_multipart():
            continue
        deepest = max(deepest, depth + 1)
        if deepest > limit:
            return deepest
        payload = part.get_payload()
        pending.extend((child, depth + 1) for child in payload if hasattr(child, "is_multipart"))
    return deepest


def json_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep a JSON document's arrays and objects nest (strings skipped); stops past `limit`."""
    depth = deepest = 0
    for bracket in JSON_BRACKET.finditer(JSON_STRING.sub(b'""', body)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        else:
            depth -= 1
    return deepest


# ----------------------------------------------------------------------------------------------
# Sender authentication, as the provider (or our own mail server) reports it
# ----------------------------------------------------------------------------------------------


def sender_verdict(message: AnymailInboundMessage) -> list[dict]:
    """Flags for a sender the provider classed as spam or could not authenticate, else []."""
    flags = []
    if spam := _spam(message):
        flags.append(email_flags.flag(email_flags.SPAM, detail=spam))
    if failure := _authentication_failure(message):
        flags.append(email_flags.flag(email_flags.UNAUTHENTICATED, detail=failure))
    return flags


def _spam(message: AnymailInboundMessage) -> str:
    detected = message.spam_detected
    if detected is None:  # the command's road: the headers our own filter added
        status = str(message.get("X-Spam-Status", "") or message.get("X-Spam-Flag", ""))
        detected = status.strip().lower().startswith("yes")
    score = message.spam_score
    if detected:
        return f"spam score {score}" if score is not None else "spam"
    threshold = settings.GUICHET_INBOUND_SPAM_SCORE
    if score is not None and threshold is not None and score >= threshold:
        return f"spam score {score}"
    return ""


def _authentication_failure(message: AnymailInboundMessage) -> str:
    """A failed SPF, DKIM or DMARC check, as the nearest receiving server reports it.

    Only the topmost Authentication-Results and Received-SPF count: receiving servers prepend
    theirs, and any below may have been written by the sender. Within Authentication-Results a
    pass (DMARC, or DKIM or SPF) makes up for another method's failure, as DMARC itself does;
    a failed Received-SPF stands alone, so that a forged Authentication-Results cannot hide it.
    """
    results: dict[str, list[str]] = {"spf": [], "dkim": [], "dmarc": []}
    for method, result in AUTH_RESULT.findall(_topmost(message, "Authentication-Results")):
        results[method.lower()].append(result.lower())
    received_spf = (_topmost(message, "Received-SPF").split() or [""])[0].lower()
    if received_spf in FAILED:
        return f"Received-SPF: {received_spf}"
    if "fail" in results["dmarc"]:
        return "dmarc=fail"
    if any("pass" in each for each in results.values()):
        return ""
    for method in ("spf", "dkim"):
        if failed := FAILED.intersection(results[method]):
            return f"{method}={sorted(failed)[0]}"
    return ""


def _topmost(message: AnymailInboundMessage, name: str) -> str:
    try:
        values = message.get_all(name) or []
    except (IndexError, LookupError, TypeError, ValueError, AttributeError):
        return ""
    return str(values[0]) if values else ""


# ----------------------------------------------------------------------------------------------
# Limits: what is over them stays in the original message, and the email is flagged
# ----------------------------------------------------------------------------------------------


def cap_recipients(to: list[str], cc: list[str]) -> tuple[list[str], list[str], list[dict]]:
    """The To and Cc addresses to store (To first), with a flag when some were left out."""
    limit = settings.GUICHET_INBOUND_MAX_RECIPIENTS
    total = len(to) + len(cc)
    if limit is None or total <= limit:
        return to, cc, []
    kept_to = to[:limit]
    kept_cc = cc[: limit - len(kept_to)]
    return kept_to, kept_cc, [email_flags.flag(email_flags.RECIPIENTS, count=total, limit=limit)]


def cap_attachments(parts: list) -> tuple[list, list[dict]]:
    limit = settings.GUICHET_INBOUND_MAX_ATTACHMENTS
    if limit is None or len(parts) <= limit:
        return parts, []
    return parts[:limit], [email_flags.flag(email_flags.ATTACHMENTS, count=len(parts), limit=limit)]


def sender_rate(sender: str) -> list[dict]:
    """A flag when `sender` has already sent the most messages allowed in the time window."""
    limit = settings.GUICHET_INBOUND_MAX_PER_SENDER
    window = settings.GUICHET_INBOUND_SENDER_WINDOW
    if not limit or not window:
        return []
    since = timezone.now() - timedelta(seconds=window)
    count = EmailMessage.objects.filter(
        direction=EmailDirection.INBOUND, created_at__gte=since, from_address__iexact=sender
    ).count()
    if count < limit:
        return []
    return [email_flags.flag(email_flags.SENDER_RATE, count=count + 1, limit=limit, window=window)]
