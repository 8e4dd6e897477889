"""Email from a ticket (S13): queue it, send it in the background, retry, never lose it."""

import datetime
import logging
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from ticketing.common.people import display_name
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.email_templates import render_email_template_text
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.tickets import add_message

logger = logging.getLogger(__name__)


def ticket_token(ticket: Ticket) -> str:
    return f"[{ticket.number}]"


def subject_with_token(ticket: Ticket, subject: str) -> str:
    """The ticket number in the subject, so that replies find their ticket (S13)."""
    subject = subject.strip()
    return subject if ticket_token(ticket) in subject else f"{ticket_token(ticket)} {subject}"


def render_email_template(template: EmailTemplate, ticket: Ticket, agent) -> tuple[str, str]:
    """The template's subject and body filled from the ticket, in the sandbox, as plain text.

    Raises EmailTemplateError (with a message for the agent) when the template cannot be used.
    """
    contact = ticket.contact
    values = {
        "ticket.number": ticket.number,
        "ticket.title": ticket.title,
        "ticket.status": ticket.get_status_display(),
        "ticket.solution": ticket.solution,
        "contact.name": str(contact) if contact else "",
        "agent.name": display_name(agent),
    }
    subject = render_email_template_text(template.subject, values)
    return " ".join(subject.split()), render_email_template_text(template.body, values)


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "guichet.local"
    return make_msgid(domain=domain).strip("<>")


def queue_ticket_email(
    ticket: Ticket,
    user,
    to: list[str],
    cc: list[str],
    subject: str,
    body: str,
    attachments=(),
    reply_to: EmailMessage | None = None,
) -> EmailMessage:
    """Store the email on the ticket and hand it to the email queue once the data is saved.

    It is threaded under `reply_to` (In-Reply-To, References) when the agent answered one email,
    else under the ticket's latest one.
    """
    last = reply_to
    if last is None or not last.message_id:
        last = ticket.emails.exclude(message_id="").order_by("-created_at", "-pk").first()
    with transaction.atomic():
        message = EmailMessage(
            direction=EmailDirection.OUTBOUND,
            status=EmailStatus.QUEUED,
            from_address=settings.DEFAULT_FROM_EMAIL,
            to=to,
            cc=cc,
            subject=subject_with_token(ticket, subject),
            text_body=body,
            message_id=new_message_id(),
            in_reply_to=last.message_id if last else "",
            references=" ".join(filter(None, [last.references, last.message_id])) if last else "",
            sent_by=user,
        )
        add_message(ticket, message, by=user, direction="outbound")
        message.attachments.set(attachments)
        transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def enqueue_delivery(message_pk: int, run_after: datetime.datetime | None = None) -> None:
    queued = send_email_message
    if run_after and task_backends[settings.EMAIL_TASK_BACKEND].supports_defer:
        queued = send_email_message.using(run_after=run_after)
    queued.enqueue(message_pk)


def deliver_email_message(message_pk: int) -> EmailMessage:
    """One attempt to send; on a provider error, schedule the next one or give up as failed.

    The ticket is never touched here: a provider that fails leaves it exactly as it was.
    """
    message = EmailMessage.objects.get(pk=message_pk)
    if message.status != EmailStatus.QUEUED:
        return message  # sent already (a duplicate run), or given up
    email = build_email(message)
    message.attempts += 1
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - any provider error is retried, then reported
        logger.warning(
            "Sending email %s failed (attempt %s): %s", message.pk, message.attempts, error
        )
        schedule_retry_or_fail(message, str(error))
        return message
    status = getattr(email, "anymail_status", None)
    sent = {
        "esp_message_id": (status.message_id or "") if status else "",
        "sent_at": timezone.now(),
        "attempts": message.attempts,
        "last_error": "",
        "next_attempt_at": None,
        "updated_at": timezone.now(),
    }
    # Only a message still queued becomes "sent": a tracking webhook that already marked it
    # delivered (or bounced) in the meantime keeps the last word.
    EmailMessage.objects.filter(pk=message.pk).update(**sent)
    EmailMessage.objects.filter(pk=message.pk, status=EmailStatus.QUEUED).update(
        status=EmailStatus.SENT
    )
    message.refresh_from_db()
    return message


def schedule_retry_or_fail(message: EmailMessage, error: str) -> None:
    """Try again later while attempts remain; otherwise "failed", for the agent to resend.

    A queue that cannot run a task later (the immediate one of development) fails at once
    rather than leave the message waiting for a retry that would never come.
    """
    delays = settings.GUICHET_EMAIL_RETRY_DELAYS
    message.last_error = error[:2000]
    can_wait = task_backends[settings.EMAIL_TASK_BACKEND].supports_defer
    if can_wait and message.attempts <= len(delays):
        delay = datetime.timedelta(seconds=delays[message.attempts - 1])
        message.next_attempt_at = timezone.now() + delay
        message.save()
        enqueue_delivery(message.pk, run_after=message.next_attempt_at)
        return
    message.status = EmailStatus.FAILED
    message.next_attempt_at = None
    message.save()


def resend_email(message: EmailMessage) -> EmailMessage:
    """Give a failed email a fresh set of attempts."""
    if message.direction != EmailDirection.OUTBOUND or message.status != EmailStatus.FAILED:
        raise ValueError("Only a failed outgoing email can be sent again.")
    with transaction.atomic():
        message.status = EmailStatus.QUEUED
        message.attempts = 0
        message.save(update_fields=["status", "attempts", "updated_at"])
        transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def build_email(message: EmailMessage) -> EmailMultiAlternatives:
    headers = {"Message-ID": f"<{message.message_id}>"}
    if message.in_reply_to:
        headers["In-Reply-To"] = f"<{message.in_reply_to}>"
        refs = message.references.split() or [message.in_reply_to]
        headers["References"] = " ".join(f"<{ref}>" for ref in refs)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=message.from_address,
        to=message.to,
        cc=message.cc,
        headers=headers,
    )
    for document in message.attachments.all():
        with document.open_file() as file:
            email.attach(document.filename, file.read(), document.content_type)
    return email


# The background job: defined beside what it runs, so the queue and the sending know each other
# without importing each other.
@task(queue_name="email", backend=settings.EMAIL_TASK_BACKEND)
def send_email_message(message_pk: int) -> None:
    deliver_email_message(message_pk)
