"""Which ticket an incoming email belongs to: the message it answers (In-Reply-To, References),
else the ticket number in its subject (`[TT-000042]`); and what a reply to a closed ticket does.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _

from ticketing.common.numbering import format_ticket_number
from ticketing.common.people import support_staff
from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_parsing import is_plain_address
from ticketing.mail.services.email_storing import Outcome, open_ticket_from_email, resume_ticket
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket


def find_thread(ids: list[str], subject: str) -> Ticket | None:
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


def knows_sender(ticket: Ticket, address: str) -> bool:
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
    return staff_member(address) is not None


def staff_member(address: str):
    """The support staff user whose email address this is exactly (any case), or None.

    An encoded word (`=?utf-8?Q?agent?=@example.com`) is nobody: mail clients show it decoded.
    """
    if not is_plain_address(address):
        return None
    return support_staff().filter(email__iexact=address).order_by("pk").first()


def ticket_for(
    thread: Ticket | None,
    subject: str,
    text: str,
    sender: tuple[str, str],
    unknown_sender: bool,
    over_rate: list[dict],
    flags: list[dict],
    agent=None,
) -> tuple[Ticket, Outcome]:
    """The ticket the message goes on, opened or moved on as the message allows.

    An agent's reply (by email, to a ticket's token) goes on its ticket and moves no status.
    """
    sender_name, address = sender
    if thread is not None and agent is not None:
        return thread, Outcome.ADDED_TO_TICKET
    if over_rate and (ticket := thread or _latest_ticket_of(address)):
        # A flood opens no tickets: it waits, flagged, where the sender last wrote.
        return ticket, Outcome.ADDED_TO_TICKET
    if thread is None:
        return open_ticket_from_email(subject, text, sender_name, address)
    if thread.status == TicketStatus.CLOSED and (
        settings.GUICHET_REPLY_TO_CLOSED == "new" or unknown_sender
    ):
        # A stranger who knows a ticket number must not be able to reopen it.
        follow_up = _("This email replied to %(number)s, which is closed.") % {
            "number": thread.number
        }
        return open_ticket_from_email(subject, f"{follow_up}\n\n{text}", sender_name, address)
    if flags:  # held mail never moves the status
        return thread, Outcome.ADDED_TO_TICKET
    return resume_ticket(thread, address), Outcome.ADDED_TO_TICKET


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
