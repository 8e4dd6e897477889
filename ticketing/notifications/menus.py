"""The main menu's "Notifications" item, with the user's unread count in its label."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.permissions import policy_registry

from ticketing.notifications.models import Notification
from ticketing.tickets.models import Ticket

# Where the count is kept for the rest of the request: the menu may be built more than once.
UNREAD_ATTRIBUTE = "_guichet_unread_notifications"


def unread_count(request) -> int:
    """The user's unread notifications: one COUNT on the inbox index, once per request."""
    if not hasattr(request, UNREAD_ATTRIBUTE):
        count = Notification.objects.for_user(request.user).unread().count()
        setattr(request, UNREAD_ATTRIBUTE, count)
    return getattr(request, UNREAD_ATTRIBUTE)


class NotificationsMenuItem(MenuItem):
    """Registered once and shared by every request (Wagtail caches menu items): the label
    with the count is made per request, in `render_component`, never stored on the item."""

    def is_shown(self, request) -> bool:
        # Agents, who are notified; anyone with something unread (a former agent) too.
        policy = policy_registry.get_by_type(Ticket)
        return policy.user_has_permission(request.user, "view") or unread_count(request) > 0

    def render_component(self, request):
        count = unread_count(request)
        label = _("Notifications (%(count)s)") % {"count": count} if count else self.label
        return LinkMenuItem(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def notifications_menu_item() -> NotificationsMenuItem:
    return NotificationsMenuItem(
        gettext_lazy("Notifications"),
        reverse("notifications:index"),
        name="notifications",
        icon_name="mail",
        order=50,
    )
