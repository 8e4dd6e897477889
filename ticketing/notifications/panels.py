from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.permissions import policy_registry

from ticketing.notifications.forms import NotificationEmailForm
from ticketing.tickets.models import Ticket


class NotificationEmailSettingsPanel(BaseSettingsPanel):
    """In the account settings' Notifications tab, beside Wagtail's own page notifications."""

    name = "guichet_notifications"
    title = _("Help desk notifications by email")
    tab = notifications_tab
    order = 150
    form_class = NotificationEmailForm

    def is_active(self) -> bool:
        return policy_registry.get_by_type(Ticket).user_has_permission(self.user, "view")
