"""From a domain event to notifications: the rows each agent reads in the admin, and the email
those who want it get. Runs in the background worker, never in the request that made the change.
"""

import dataclasses
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ticketing.common.people import support_staff
from ticketing.mail.models import EmailMessage
from ticketing.notifications.emails import send_notification_email
from ticketing.notifications.models import Notification, NotificationPreference
from ticketing.notifications.rules import NOTIFYING_EVENTS, TicketFacts, who_is_told
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.events import MessageAdded, NoteAdded, TicketEvent
from ticketing.tickets.models import Ticket, TimelineEntry

logger = logging.getLogger(__name__)

EVENT_CLASSES = {cls.__name__: cls for cls in NOTIFYING_EVENTS}
# How much of a customer's reply the notification quotes.
EXCERPT_LINES = 5
EXCERPT_CHARS = 500


def event_payload(event: TicketEvent) -> dict:
    """The event as a task argument (JSON): its class name and its fields."""
    return {"event": type(event).__name__, "fields": dataclasses.asdict(event)}


def event_from_payload(payload: dict) -> TicketEvent:
    event_class = EVENT_CLASSES[payload["event"]]
    fields = dict(payload["fields"])
    if "mentioned_user_ids" in fields:
        fields["mentioned_user_ids"] = tuple(fields["mentioned_user_ids"])
    return event_class(**fields)


def enqueue_notifications(event: TicketEvent) -> None:
    deliver_notifications.enqueue(event_payload(event))


def notify(event: TicketEvent) -> list[Notification]:
    """Write the notifications `event` makes, then email those recipients who want it.

    Only users who may see the ticket are told: a notification never leaks a ticket.
    """
    ticket = Ticket.objects.filter(pk=event.ticket_id).first()
    if ticket is None:
        return []  # deleted since
    told = who_is_told(event, ticket_facts(event, ticket))
    if told is None:
        return []
    users = get_user_model().objects.filter(pk__in=told.recipient_ids, is_active=True)
    recipients = [user for user in users if can_see(user, ticket)]
    if not recipients:
        return []
    data = notification_data(event, ticket)
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user, ticket=ticket, kind=told.kind, actor_id=event.actor_id, data=data
            )
            for user in recipients
        )
    not_by_email = set(
        NotificationPreference.objects.filter(
            user__in=recipients, kind=told.kind, by_email=False
        ).values_list("user_id", flat=True)
    )
    for notification in notifications:
        if notification.recipient_id in not_by_email or not notification.recipient.email:
            continue
        try:
            send_notification_email(notification)
        except Exception:  # one recipient's failing address must not stop the others
            logger.exception("Notification email %s could not be sent", notification.pk)
    return notifications


def can_see(user, ticket: Ticket) -> bool:
    return Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists()


def ticket_facts(event: TicketEvent, ticket: Ticket) -> TicketFacts:
    return TicketFacts(
        assignee_id=ticket.assigned_to_id,
        team_ids=frozenset(support_staff().values_list("pk", flat=True)),
        message_opened_ticket=isinstance(event, MessageAdded) and message_opened(event, ticket),
    )


def message_opened(event: MessageAdded, ticket: Ticket) -> bool:
    """The inbound email that a ticket was opened from: the first message of a ticket whose
    creation (on its timeline) came by email."""
    first = EmailMessage.objects.filter(ticket=ticket).order_by("created_at", "pk").first()
    if first is None or first.pk != event.message_id:
        return False
    creation = TimelineEntry.objects.filter(ticket=ticket, kind=TimelineKind.CREATED)
    return creation.filter(data__channel="email").exists()


def notification_data(event: TicketEvent, ticket: Ticket) -> dict:
    """What the notification quotes: the first lines of a customer's reply, a mention's note."""
    if isinstance(event, MessageAdded):
        email = EmailMessage.objects.filter(pk=event.message_id, ticket=ticket).first()
        if email is None:
            return {}
        return {"from": email.from_address, "excerpt": excerpt(email.text_body)}
    if isinstance(event, NoteAdded):
        entry = TimelineEntry.objects.filter(pk=event.entry_id, ticket=ticket).first()
        return {"note": entry.data.get("body", "")} if entry else {}
    return {}


def excerpt(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()][:EXCERPT_LINES]
    short = "\n".join(lines)
    return short if len(short) <= EXCERPT_CHARS else short[: EXCERPT_CHARS - 1] + "…"


def mark_read(notifications) -> int:
    """Mark `notifications` (a queryset) read now; those read already keep their time."""
    return notifications.unread().update(read_at=timezone.now())


# On the worker that sends email (`db_worker --queue-name email`): notifications are email too.
@task(queue_name="email", backend=settings.EMAIL_TASK_BACKEND)
def deliver_notifications(payload: dict) -> None:
    notify(event_from_payload(payload))
