from django.urls import include, path
from wagtail import hooks

from ticketing.notifications import urls
from ticketing.notifications.menus import notifications_menu_item
from ticketing.notifications.panels import NotificationEmailSettingsPanel


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("notifications/", include(urls, namespace="notifications"))]


@hooks.register("register_admin_menu_item")
def register_notifications_menu_item():
    return notifications_menu_item()


@hooks.register("register_account_settings_panel")
def register_notification_settings_panel(request, user, profile):
    return NotificationEmailSettingsPanel(request, user, profile)
