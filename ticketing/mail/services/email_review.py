"""An agent takes in a held inbound email: its attachments join the ticket, its sender is known;
a manager reprocesses a quarantined one."""

from anymail.inbound import AnymailInboundMessage
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ticketing.mail.choices import EmailStatus
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


EMAIL_REPROCESSED_LOG_ACTION = "ticketing.email_reprocessed"


class EmailNotQuarantined(Exception):
    """The email is not (or no longer) in the quarantine: nothing to reprocess."""


def reprocess_quarantined_email(email: EmailMessage, user):
    """Run a quarantined message through the inbound pipeline again, from its raw message.

    The quarantined row gives way (its Message-ID is the new row's); what the pipeline says
    now stands: a ticket, ignored, or the quarantine again. Returns the pipeline's receipt.
    """
    from ticketing.mail.services.email_in import file_inbound_email  # the pipeline uses us

    with transaction.atomic():
        locked = EmailMessage.objects.select_for_update(of=("self",)).filter(pk=email.pk).first()
        if locked is None or locked.status != EmailStatus.QUARANTINED or not locked.raw_message:
            raise EmailNotQuarantined
        document = locked.raw_message
        with document.file.open("rb") as file:
            raw = file.read()
        locked.delete()
        receipt = file_inbound_email(AnymailInboundMessage.parse_raw_mime_bytes(raw))
        document.delete()  # the new row keeps its own copy of the same bytes
        if receipt.email is not None:
            log(receipt.email, EMAIL_REPROCESSED_LOG_ACTION, user=user,
                data={"outcome": str(receipt.outcome)})  # fmt: skip
    return receipt
