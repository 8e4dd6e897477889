"""The agent's notifications: the list, opening one (its ticket), marking them all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ticketing.notifications.delivery import mark_read
from ticketing.notifications.messages import headline
from ticketing.notifications.models import Notification
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.urls import inspect_url

PER_PAGE = 50


class NotificationIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/index.html"
    page_title = gettext_lazy("Notifications")
    header_icon = "mail"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        notifications = Notification.objects.for_user(self.request.user).select_related(
            "ticket", "actor"
        )
        page = Paginator(notifications, PER_PAGE).get_page(self.request.GET.get("p"))
        context["page_obj"] = page
        context["rows"] = [(n, headline(n)) for n in page.object_list]
        context["has_unread"] = any(n.read_at is None for n in page.object_list) or (
            Notification.objects.for_user(self.request.user).unread().exists()
        )
        return context


class OpenNotificationView(View):
    """The ticket of one of the user's notifications, which it marks read.

    A ticket the user can no longer see (its visibility changed since) is not found: the
    notification never opens a way around `visible_to`.
    """

    def get(self, request, pk: int):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        ticket = Ticket.objects.visible_to(request.user).filter(pk=notification.ticket_id).first()
        if ticket is None:
            raise Http404
        mark_read(Notification.objects.filter(pk=notification.pk))
        return redirect(inspect_url(ticket))


class MarkAllReadView(View):
    http_method_names = ["post"]

    def post(self, request):
        count = mark_read(Notification.objects.for_user(request.user))
        if count:
            messages.success(request, _("All notifications marked read."))
        return redirect("notifications:index")
