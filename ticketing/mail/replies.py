"""What the composer starts from when an agent answers or forwards one email of the ticket."""

import re

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_out import subject_with_token
from ticketing.tickets.models import Ticket

REPLY, REPLY_ALL, FORWARD = "reply", "reply_all", "forward"
MODES = (REPLY, REPLY_ALL, FORWARD)
# "Re:", "RE :", "Fwd:", "TR:" (French clients) at the start, as many times as they pile up.
PREFIXES = re.compile(r"^\s*((re|fwd?|tr|aw|wg)\s*:\s*)+", re.IGNORECASE)


def own_addresses() -> set[str]:
    return {settings.DEFAULT_FROM_EMAIL.lower()}


def bare_subject(subject: str) -> str:
    return PREFIXES.sub("", subject or "").strip()


def quoted(email: EmailMessage) -> str:
    when = formats.localize(timezone.localtime(email.created_at))
    header = _("On %(date)s, %(sender)s wrote:") % {"date": when, "sender": email.from_address}
    lines = (email.text_body or "").strip().splitlines()
    return "\n".join([header, *(f"> {line}" if line else ">" for line in lines)])


def forwarded(email: EmailMessage) -> str:
    when = formats.localize(timezone.localtime(email.created_at))
    return "\n".join(
        [
            _("---------- Forwarded message ----------"),
            _("From: %(sender)s") % {"sender": email.from_address},
            _("Date: %(date)s") % {"date": when},
            _("Subject: %(subject)s") % {"subject": email.subject},
            _("To: %(to)s") % {"to": ", ".join(email.to)},
            "",
            (email.text_body or "").strip(),
        ]
    )


def reply_initial(ticket: Ticket, email: EmailMessage, mode: str) -> dict:
    """The composer's fields answering `email` (`mode`: reply, reply_all or forward)."""
    ours = own_addresses()
    if email.direction == EmailDirection.INBOUND:
        to = [email.from_address]
    else:
        to = list(email.to)
    subject = bare_subject(email.subject)
    if mode == FORWARD:
        return {
            "to": "",
            "cc": "",
            "subject": subject_with_token(ticket, _("Fwd: %(subject)s") % {"subject": subject}),
            "body": "\n\n" + forwarded(email),
            "attachments": [doc.pk for doc in email.attachments.all()],
            "reply_to": email.pk,
        }
    cc = []
    if mode == REPLY_ALL:
        seen = {address.lower() for address in to} | ours
        for address in [*email.to, *email.cc]:
            if address.lower() not in seen:
                seen.add(address.lower())
                cc.append(address)
    return {
        "to": ", ".join(to),
        "cc": ", ".join(cc),
        "subject": subject_with_token(ticket, _("Re: %(subject)s") % {"subject": subject}),
        "body": "\n\n" + quoted(email),
        "reply_to": email.pk,
    }
