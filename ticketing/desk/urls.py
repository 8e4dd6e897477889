from django.urls import path

from ticketing.desk.views import DeleteViewView, SaveViewView

app_name = "desk"
urlpatterns = [
    path("saved-views/save/", SaveViewView.as_view(), name="save_view"),
    path("saved-views/<int:pk>/delete/", DeleteViewView.as_view(), name="delete_view"),
]
