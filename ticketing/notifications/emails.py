"""A notification as an email to its agent: in their language, with the ticket's token and
threading headers, so that their reply by email lands on the ticket's conversation."""

from django.conf import settings
from django.core.mail import EmailMessage as OutgoingEmail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ticketing.mail.services.email_out import new_message_id, subject_with_token
from ticketing.notifications.messages import headline, subject_line
from ticketing.notifications.models import Notification
from ticketing.tickets.models import Ticket


def send_notification_email(notification: Notification) -> None:
    email = build_notification_email(notification)
    email.send()


def build_notification_email(notification: Notification) -> OutgoingEmail:
    recipient = notification.recipient
    ticket = notification.ticket
    # A notification may quote an internal note: it goes to an agent who sees the ticket, only.
    if not Ticket.objects.visible_to(recipient).filter(pk=ticket.pk).exists():
        raise PermissionError(f"User {recipient.pk} may not read ticket {ticket.pk}")
    with translation.override(preferred_language(recipient)):
        subject = subject_with_token(ticket, str(subject_line(notification)))
        body = render_to_string(
            "notifications/email/notification_message.txt",
            {
                "notification": notification,
                "ticket": ticket,
                "headline": headline(notification),
                "link": absolute_admin_url(reverse("notifications:open", args=[notification.pk])),
            },
        )
    return OutgoingEmail(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=threading_headers(ticket),
    )


def preferred_language(user) -> str:
    """The language the user chose for the admin (Wagtail's profile), else the site's."""
    profile = getattr(user, "wagtail_userprofile", None)
    return profile.get_preferred_language() if profile else settings.LANGUAGE_CODE


def threading_headers(ticket: Ticket) -> dict[str, str]:
    """Headers that tie the email to the ticket's conversation, as the ticket's own replies do;
    marked automatic so that out-of-office replies do not answer it (RFC 3834)."""
    headers = {"Message-ID": f"<{new_message_id()}>", "Auto-Submitted": "auto-generated"}
    last = ticket.emails.exclude(message_id="").order_by("-created_at", "-pk").first()
    if last is not None:
        headers["In-Reply-To"] = f"<{last.message_id}>"
        refs = [*last.references.split(), last.message_id]
        headers["References"] = " ".join(f"<{ref}>" for ref in refs)
    return headers


def absolute_admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
