"""Bounces of our own mail: which email of ours a delivery report is about, and why it failed.

A report (RFC 3464, multipart/report; report-type=delivery-status) carries the original
message, or its headers, after the human text; some servers also answer it by In-Reply-To.
"""

from email.parser import HeaderParser

from anymail.inbound import AnymailInboundMessage

from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_decoding import clean
from ticketing.mail.services.email_parsing import parse_ids, read_header

BOUNCEABLE = [EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED]
MAX_DIAGNOSTIC = 1000


def bounced_email(message: AnymailInboundMessage) -> EmailMessage | None:
    """Our outbound email this message reports undelivered, or None: it is no bounce of ours."""
    ids = [*_original_ids(message), *parse_ids(read_header(message, "In-Reply-To"))]
    ids += parse_ids(read_header(message, "References"))[::-1]
    if not ids:
        return None
    found = {
        email.message_id: email
        for email in EmailMessage.objects.filter(
            message_id__in=ids, direction=EmailDirection.OUTBOUND
        )
    }
    return next((found[each] for each in ids if each in found), None)


def is_delivery_report(message: AnymailInboundMessage) -> bool:
    return any(part.get_content_type() == "message/delivery-status" for part in message.walk()) or (
        message.get_content_type() == "multipart/report"
    )


def mark_bounced(email: EmailMessage, message: AnymailInboundMessage) -> None:
    """The email's status becomes bounced (whatever delivery said before), with the reason."""
    email.status = EmailStatus.BOUNCED if email.status in BOUNCEABLE else email.status
    email.last_error = diagnostic(message)
    email.save(update_fields=["status", "last_error", "updated_at"])


def diagnostic(message: AnymailInboundMessage) -> str:
    """Each failed recipient with its status and the remote server's words."""
    lines = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
            if not recipient:
                continue
            status = block.get("Status", "")
            words = block.get("Diagnostic-Code", "") or block.get("Action", "")
            lines.append(clean(f"{str(recipient).split(';')[-1]}: {status} {words}"))
    return "\n".join(lines)[:MAX_DIAGNOSTIC] or read_header(message, "Subject")


def _original_ids(message: AnymailInboundMessage) -> list[str]:
    ids = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                ids += parse_ids(read_header(inner[0], "Message-ID"))
        elif content_type == "text/rfc822-headers":
            headers = HeaderParser().parsestr(part.get_payload(decode=True).decode("latin-1"))
            ids += parse_ids(str(headers.get("Message-ID", "")))
    return ids
