from django.urls import path

from ticketing.notifications.views import (
    MarkAllReadView,
    NotificationIndexView,
    OpenNotificationView,
)

app_name = "notifications"
urlpatterns = [
    path("", NotificationIndexView.as_view(), name="index"),
    path("<int:pk>/", OpenNotificationView.as_view(), name="open"),
    path("mark-all-read/", MarkAllReadView.as_view(), name="mark_all_read"),
]
