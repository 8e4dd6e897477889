"""Saving, picking and deleting saved ticket views; the listing shows them (saved_views.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from ticketing.desk.forms import SavedViewForm
from ticketing.desk.models import SavedView
from ticketing.desk.permissions import is_support_staff
from ticketing.tickets.views.urls import ticket_url


def listing_url(query: str) -> str:
    return f"{ticket_url('list')}?{query}" if query else ticket_url("list")


class SupportStaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_support_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SaveViewView(SupportStaffOnlyMixin, View):
    """POST from the listing's "Save this view" form: back to the listing, with the view."""

    http_method_names = ["post"]

    def post(self, request):
        form = SavedViewForm(request.POST)
        if not form.is_valid():
            errors = [error for field in form.errors.values() for error in field]
            messages.error(request, _("The view was not saved: %s") % " ".join(errors))
            return redirect(listing_url(""))
        view = form.save(commit=False)
        view.owner = request.user
        view.save()
        messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
        return redirect(listing_url(view.query))


class DeleteViewView(SupportStaffOnlyMixin, View):
    """POST: an agent deletes one of their own views (a shared one too), nobody else's."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        view = get_object_or_404(SavedView, pk=pk, owner=request.user)
        view.delete()
        messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
        return redirect(listing_url(""))
