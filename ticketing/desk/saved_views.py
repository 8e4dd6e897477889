"""Saved views above the ticket listing: pick one, or save the current filters and search."""

from django import forms
from wagtail.admin.ui.components import Component

from ticketing.desk.forms import SavedViewForm, clean_listing_query
from ticketing.desk.models import SavedView
from ticketing.desk.permissions import is_support_staff
from ticketing.tickets.views.urls import ticket_url


def current_query(request) -> str:
    """The listing's filters and search now, as a saved view would keep them ("" if invalid)."""
    try:
        return clean_listing_query(request.GET.urlencode())
    except forms.ValidationError:
        return ""


class SavedViewsPanel(Component):
    template_name = "desk/saved_views.html"

    def __init__(self, request) -> None:
        self.request = request

    def get_context_data(self, parent_context=None) -> dict:
        user = self.request.user
        query = current_query(self.request)
        views = list(SavedView.objects.visible_to(user))
        return {
            "views": views,
            "current_query": query,
            "picked": next((view for view in views if query and view.query == query), None),
            "listing_url": ticket_url("list"),
            "form": SavedViewForm(initial={"query": query}),
            "user": user,
            "csrf_token": (parent_context or {}).get("csrf_token"),
            "request": self.request,
        }


def saved_views_panels(request) -> list:
    return [SavedViewsPanel(request)] if is_support_staff(request.user) else []
