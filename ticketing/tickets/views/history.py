from datetime import UTC

from auditlog.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import LogFormatter

from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.related_lists import related_list
from ticketing.tickets.services.linking import DOCUMENT_DELETED
from ticketing.tickets.system_comments import display_comment
from ticketing.tickets.views.urls import ticket_breadcrumbs

EMPTY = "—"
EMPTY_VALUES = {None, "", "None"}
# django-auditlog's own labels ("create", "update") have no French translation.
ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Creation"),
    LogEntry.Action.UPDATE: _("Modification"),
    LogEntry.Action.DELETE: _("Deletion"),
    LogEntry.Action.ACCESS: _("Access"),
}


class TicketFieldHistoryView(PermissionCheckedMixin, WagtailAdminTemplateMixin, ListView):
    """Every change to a ticket, field by field, as django-auditlog recorded it (S15)."""

    model = Ticket
    any_permission_required = ["view", "change"]
    template_name = "ticketing/ticket/field_history.html"
    page_title = _("Field history")
    header_icon = "history"
    paginate_by = 50

    @cached_property
    def ticket(self) -> Ticket:
        return get_object_or_404(Ticket, pk=unquote(str(self.kwargs["pk"])))

    def get_page_subtitle(self) -> str:
        return str(self.ticket)

    def get_breadcrumbs_items(self) -> list[dict]:
        return ticket_breadcrumbs(self.breadcrumbs_items, self.ticket, self.page_title)

    def get_queryset(self):
        return (
            LogEntry.objects.get_for_object(self.ticket)
            .select_related("actor")
            .order_by("-timestamp", "-pk")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["ticket"] = self.ticket
        context["rows"] = [
            (entry, action_label(entry), readable_changes(entry))
            for entry in context["object_list"]
        ]
        return context


def action_label(entry: LogEntry) -> str:
    return ACTION_LABELS.get(entry.action) or entry.get_action_display()


def readable_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each field that changed, blanks shown as a dash.

    Links (many-to-many fields, and child records such as activities) read as
    "— → linked: X" and "unlinked: X → —".
    """
    rows = []
    for field_name, change in entry.changes_dict.items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            rows.append(link_change_row(field_name, change))
    local_times = datetimes_in_reader_zone(entry)
    for label, values in entry.changes_display_dict.items():
        if len(values) != 2:  # a link, already read above
            continue
        values = local_times.get(label, values)
        old, new = (EMPTY if value in EMPTY_VALUES else value for value in values)
        if old != new:
            rows.append((capfirst(label), old, new))
    return rows


def datetimes_in_reader_zone(entry: LogEntry) -> dict[str, list[str]]:
    """{label: [old, new]} of the date-time fields that changed, in the reader's time zone.

    django-auditlog shows them in the site's TIME_ZONE; Wagtail has activated the user's own.
    """
    shown = {}
    for field_name, values in entry.changes_dict.items():
        try:
            field = Ticket._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.DateTimeField) and isinstance(values, list):
            shown[str(field.verbose_name)] = [local_datetime(value) for value in values]
    return shown


def local_datetime(value: str | None) -> str | None:
    parsed = parse_datetime(value) if value and value != "None" else None
    if parsed is None:
        return value
    if timezone.is_naive(parsed):  # auditlog writes UTC
        parsed = timezone.make_aware(parsed, UTC)
    return formats.localize(timezone.localtime(parsed))


def link_change_row(field_name: str, change: dict) -> tuple[str, str, str]:
    related = related_list(field_name)
    label = related.label if related else field_name
    objects = ", ".join(change.get("objects", []))
    if change.get("operation") == "add":
        return capfirst(label), EMPTY, _("linked: %(objects)s") % {"objects": objects}
    if change.get("operation") == DOCUMENT_DELETED:
        return capfirst(label), _("deleted: %(objects)s") % {"objects": objects}, EMPTY
    return capfirst(label), _("unlinked: %(objects)s") % {"objects": objects}, EMPTY


class StatusChangeLogFormatter(LogFormatter):
    label = _("Status change")

    def format_message(self, log_entry) -> str:
        statuses = dict(TicketStatus.choices)
        return _("Status changed from “%(from)s” to “%(to)s”") % {
            "from": statuses.get(log_entry.data.get("from"), log_entry.data.get("from")),
            "to": statuses.get(log_entry.data.get("to"), log_entry.data.get("to")),
        }

    def format_comment(self, log_entry) -> str:
        comment = log_entry.data.get("comment", "")
        return display_comment(comment, by_system=log_entry.user_id is None)
