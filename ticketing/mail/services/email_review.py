"""An agent takes in a held inbound email: its attachments join the ticket, its sender is known."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ticketing.mail.models import EmailMessage
from ticketing.records.documents import attach_documents

EMAIL_ACCEPTED_LOG_ACTION = "ticketing.email_accepted"


class EmailNotHeld(Exception):
    """The email is not (or no longer) waiting for an agent: nothing to accept."""


def accept_inbound_email(email: EmailMessage, user) -> EmailMessage:
    """Accept a flagged inbound email on its ticket, once, whoever clicks at the same moment.

    From now on its sender counts as known on the ticket (see `email_threading.knows_sender`);
    the status is left to the agent, who has just read the email.
    """
    with transaction.atomic():
        emails = EmailMessage.objects.select_for_update(of=("self",)).select_related("ticket")
        locked = emails.get(pk=email.pk)
        if not locked.held or locked.ticket is None:
            raise EmailNotHeld
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        documents = list(locked.attachments.all())
        if documents:
            attach_documents(locked.ticket, *documents)
        log(locked.ticket, EMAIL_ACCEPTED_LOG_ACTION, user=user,
            data={"email": locked.pk, "sender": locked.from_address})  # fmt: skip
    return locked
