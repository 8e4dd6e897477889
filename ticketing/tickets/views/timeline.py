"""The ticket's timeline as its page shows it: newest first, by kind, readable (S15, S18)."""

from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView

from ticketing.common.people import display_name
from ticketing.tickets.choices import TicketStatus, TimelineKind
from ticketing.tickets.models import Ticket, TimelineEntry
from ticketing.tickets.related_lists import related_list
from ticketing.tickets.system_comments import display_comment
from ticketing.tickets.views.urls import inspect_url

PER_PAGE = 20
EMPTY = "—"
# ?kind=… on the ticket's page: a group of kinds, or any one kind by its own name.
FILTERS = {
    "status": (gettext_lazy("Status"), [TimelineKind.STATUS]),
    "fields": (gettext_lazy("Fields"), [TimelineKind.FIELDS]),
    "links": (gettext_lazy("Links"), [TimelineKind.LINK, TimelineKind.UNLINK]),
    "emails": (gettext_lazy("Emails"), [TimelineKind.EMAIL_IN, TimelineKind.EMAIL_OUT]),
    "notes": (gettext_lazy("Internal notes"), [TimelineKind.NOTE]),
}
CHANNELS = {
    "admin": gettext_lazy("Ticket opened in the admin."),
    "email": gettext_lazy("Ticket opened by an email."),
}


@dataclass
class TimelineRow:
    entry: TimelineEntry
    author: str
    summary: str = ""
    url: str = ""
    # (label, what it reads): a field's "old → new", a list's "linked: X", an email's sender.
    details: list[tuple[str, str]] = field(default_factory=list)
    comment: str = ""


def kinds_filtered(key: str) -> list[str]:
    if key in FILTERS:
        return FILTERS[key][1]
    return [key] if key in TimelineKind.values else []


def timeline_context(ticket: Ticket, request) -> dict:
    """The page of the ticket's timeline that the request asks for, with its filter links."""
    key = request.GET.get("kind", "")
    kinds = kinds_filtered(key)
    entries = ticket.timeline.select_related("actor").order_by("-created_at", "-pk")
    if kinds:
        entries = entries.filter(kind__in=kinds)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("timeline_page"))
    return {
        "timeline_rows": [timeline_row(entry) for entry in page],
        "timeline_page": page,
        "timeline_filters": filter_links(key if kinds else ""),
        "timeline_pages": page_links(page, key if kinds else ""),
    }


def timeline_query(kind: str, page: int | None = None) -> str:
    params = [f"kind={kind}"] if kind else []
    if page and page > 1:
        params.append(f"timeline_page={page}")
    return f"?{'&'.join(params)}#timeline" if params else "?#timeline"


def filter_links(current: str) -> list[dict]:
    options = [("", _("All")), *((key, label) for key, (label, _kinds) in FILTERS.items())]
    return [
        {"label": label, "url": timeline_query(key), "current": key == current}
        for key, label in options
    ]


def page_links(page: Page, kind: str) -> dict:
    return {
        "newer": timeline_query(kind, page.previous_page_number()) if page.has_previous() else "",
        "older": timeline_query(kind, page.next_page_number()) if page.has_next() else "",
    }


def timeline_row(entry: TimelineEntry) -> TimelineRow:
    row = TimelineRow(entry, display_name(entry.actor) or _("System"))
    data = entry.data
    if entry.kind == TimelineKind.CREATED:
        row.summary = str(CHANNELS.get(data.get("channel"), _("Ticket opened.")))
    elif entry.kind == TimelineKind.STATUS:
        statuses = dict(TicketStatus.choices)
        old, new = (statuses.get(data.get(end), EMPTY) for end in ("from", "to"))
        row.summary = f"{old} → {new}"
        row.comment = display_comment(data.get("comment", ""), by_system=entry.actor_id is None)
    elif entry.kind == TimelineKind.FIELDS:
        row.details = [field_change_row(change) for change in data.get("changes", [])]
    elif entry.kind in (TimelineKind.LINK, TimelineKind.UNLINK):
        row.details = [link_row(entry.kind, data)]
    elif entry.kind in (TimelineKind.EMAIL_IN, TimelineKind.EMAIL_OUT):
        row.summary = data.get("subject") or EMPTY
        row.url = email_url(data.get("email_id"))
        if entry.kind == TimelineKind.EMAIL_IN:
            row.details = [(_("From"), data.get("from", ""))]
        else:
            row.details = [(_("To"), ", ".join(data.get("to", [])))]
    elif entry.kind == TimelineKind.NOTE:
        row.comment = data.get("body", "")
    return row


def field_change_row(change: dict) -> tuple[str, str]:
    name = change.get("field", "")
    try:
        model_field = Ticket._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: its name and values as stored
        return name, f"{readable(None, change.get('old'))} → {readable(None, change.get('new'))}"
    old = readable(model_field, change.get("old"), change.get("old_label"))
    new = readable(model_field, change.get("new"), change.get("new_label"))
    return capfirst(model_field.verbose_name), f"{old} → {new}"


def readable(model_field, value, label: str | None = None) -> str:
    """A stored value as the reader would say it: choices by name, times in their own zone."""
    if value in (None, ""):
        return EMPTY
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        return label or str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField):
        return local_datetime(value)
    return str(value)


def local_datetime(value: str) -> str:
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    # Wagtail has activated the reader's own time zone.
    return formats.localize(timezone.localtime(parsed))


def link_row(kind: str, data: dict) -> tuple[str, str]:
    related = related_list(data.get("list", ""))
    label = capfirst(related.label) if related else data.get("list", "")
    record = data.get("record", "")
    if kind == TimelineKind.LINK:
        return label, _("linked: %(objects)s") % {"objects": record}
    if data.get("deleted"):
        return label, _("deleted: %(objects)s") % {"objects": record}
    return label, _("unlinked: %(objects)s") % {"objects": record}


def email_url(email_id) -> str:
    # The mail app registers the emails list; the tickets app knows its record URLs only so.
    emails = related_list("emails")
    if not (emails and email_id):
        return ""
    return emails.record_url(emails.model(pk=email_id))


class FieldHistoryRedirectView(RedirectView):
    """The former field history page: its changes are on the ticket's timeline now."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        # Only to a ticket the user may see: a redirect would tell that a hidden one exists.
        ticket = get_object_or_404(Ticket.objects.visible_to(self.request.user), pk=kwargs["pk"])
        return f"{inspect_url(ticket)}{timeline_query('fields')}"
