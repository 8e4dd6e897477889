"""What a notification says, in the current language: one sentence for the list and the email."""

from django.utils.translation import gettext as _

from ticketing.common.people import display_name
from ticketing.notifications.choices import NotificationKind
from ticketing.notifications.models import Notification


def actor_name(notification: Notification) -> str:
    if notification.actor_id is None:
        return ""
    return display_name(notification.actor)


def headline(notification: Notification) -> str:
    """Who did what, on which ticket: "Claire Martin assigned TT-000042 to you: Printer"."""
    ticket = notification.ticket
    values = {"who": actor_name(notification), "number": ticket.number, "title": ticket.title}
    kind = notification.kind
    if kind == NotificationKind.NEW_TICKET:
        if values["who"]:
            return _("%(who)s opened ticket %(number)s: %(title)s") % values
        return _("New ticket %(number)s: %(title)s") % values
    if kind == NotificationKind.ASSIGNED:
        if values["who"]:
            return _("%(who)s assigned ticket %(number)s to you: %(title)s") % values
        return _("Ticket %(number)s was assigned to you: %(title)s") % values
    if kind == NotificationKind.CUSTOMER_REPLY:
        values["who"] = notification.data.get("from") or values["who"] or _("The customer")
        return _("%(who)s replied on ticket %(number)s: %(title)s") % values
    if kind == NotificationKind.MENTION:
        return _("%(who)s mentioned you in a note on ticket %(number)s: %(title)s") % values
    return _("Ticket %(number)s: %(title)s") % values


def subject_line(notification: Notification) -> str:
    """The email's subject before the ticket's token is put in front."""
    title = notification.ticket.title
    subjects = {
        NotificationKind.NEW_TICKET: _("New ticket: %(title)s"),
        NotificationKind.ASSIGNED: _("Assigned to you: %(title)s"),
        NotificationKind.CUSTOMER_REPLY: _("Customer reply: %(title)s"),
        NotificationKind.MENTION: _("You were mentioned: %(title)s"),
    }
    return subjects.get(notification.kind, "%(title)s") % {"title": title}
