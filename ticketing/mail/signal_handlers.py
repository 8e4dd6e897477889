"""Mail from the provider's webhooks: inbound messages and delivery events; emails on their
ticket's timeline."""

from anymail.signals import inbound, tracking
from django.db.models.signals import pre_delete
from wagtail.documents import get_document_model

from ticketing.mail.choices import EmailDirection
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import receive_email, record_delivery_event
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.events import MessageAdded, ticket_changing
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.linking import DOCUMENT_DELETED, log_link_change
from ticketing.tickets.timeline import add_entry


def receive_inbound_email(sender, event, esp_name: str, **kwargs) -> None:
    # A message refused here (too large, no sender) raises, and anymail's view answers 400.
    receive_email(event.message)


def record_email_tracking(sender, event, esp_name: str, **kwargs) -> None:
    record_delivery_event(event)


def log_attachment_deletion(sender, instance, **kwargs) -> None:
    # An email's attachment is the ticket's document too: its deletion is written on the
    # tickets it reached by email (those that also link it directly are written by records).
    tickets = Ticket.objects.filter(emails__attachments=instance).exclude(
        document_links__document=instance
    )
    for ticket in tickets.distinct():
        log_link_change(ticket, "documents", instance, DOCUMENT_DELETED)


def write_email_on_timeline(sender, event: MessageAdded, **kwargs) -> None:
    # Written here, not by the tickets app: only the mail app knows its messages.
    email = EmailMessage.objects.filter(pk=event.message_id).first()
    if email is None:
        return
    inbound = email.direction == EmailDirection.INBOUND
    data = {
        "email_id": email.pk,
        "subject": email.subject,
        "from": email.from_address,
        "to": list(email.to),
    }
    kind = TimelineKind.EMAIL_IN if inbound else TimelineKind.EMAIL_OUT
    add_entry(event.ticket_id, kind, event.actor_id, data)


def register_signal_handlers() -> None:
    ticket_changing.connect(
        write_email_on_timeline, sender=MessageAdded, dispatch_uid="email-timeline"
    )
    inbound.connect(receive_inbound_email, dispatch_uid="email-inbound")
    tracking.connect(record_email_tracking, dispatch_uid="email-tracking")
    pre_delete.connect(
        log_attachment_deletion, sender=get_document_model(), dispatch_uid="attachment-deletion"
    )
