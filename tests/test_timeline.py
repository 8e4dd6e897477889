"""One timeline per ticket: every road writes it, each change once; the ticket's page reads it."""

from zoneinfo import ZoneInfo

import pytest
from anymail.inbound import AnymailInboundMessage
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import TicketFactory, UserFactory
from tests.test_email_inbound import eml
from tests.timeline_rows import timeline_html
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import receive_email
from ticketing.records.models import Quote
from ticketing.tickets.choices import TicketStatus, TimelineKind, Visibility
from ticketing.tickets.events import (
    MessageAdded,
    TicketOpened,
    TicketTransitioned,
    publish,
    ticket_changing,
)
from ticketing.tickets.models import Ticket, TimelineEntry
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def transitions_published():
    """The TicketTransitioned events published while the test runs, in order."""
    events = []

    def keep(sender, event, **kwargs):
        events.append(event)

    ticket_changing.connect(keep, sender=TicketTransitioned, dispatch_uid="test-timeline")
    yield events
    ticket_changing.disconnect(sender=TicketTransitioned, dispatch_uid="test-timeline")


def entries(ticket, kind=None):
    rows = TimelineEntry.objects.filter(ticket=ticket)
    return rows.filter(kind=kind) if kind else rows


# Writing: every road, each change once
# ----------------------------------------------------------------------------------------------


def test_a_direct_transition_call_and_save_writes_the_status_row(transitions_published):
    ticket = TicketFactory()
    ticket.start()
    ticket.save()

    row = entries(ticket, TimelineKind.STATUS).get()
    assert row.data == {"transition": "start", "from": "open", "to": "in_progress", "comment": ""}
    assert row.actor is None
    assert row.visibility == Visibility.PUBLIC
    assert [(e.ticket_id, e.transition, e.actor_id) for e in transitions_published] == [
        (ticket.pk, "start", None)
    ]


def test_a_status_change_is_written_once_whatever_else_records_it(agent, transitions_published):
    ticket = TicketFactory()
    wagtail_log_before = ModelLogEntry.objects.count()
    apply_transition(ticket, "start", agent, "  On it  ")

    row = entries(ticket, TimelineKind.STATUS).get()
    assert row.data["comment"] == "On it"
    assert row.actor == agent
    assert len(transitions_published) == 1
    assert transitions_published[0].comment == "On it"
    assert ModelLogEntry.objects.count() == wagtail_log_before  # not in Wagtail's log again
    # django-auditlog keeps the diff, but the timeline does not show it as a field change.
    audit = LogEntry.objects.get_for_object(ticket).filter(action=LogEntry.Action.UPDATE).get()
    assert audit.changes_dict["status"] == ["open", "in_progress"]
    assert not entries(ticket, TimelineKind.FIELDS).exists()


def test_a_status_change_is_written_when_the_status_is_saved(transitions_published):
    ticket = TicketFactory()
    ticket.start()
    ticket.save(update_fields=["title"])  # the status stays unsaved, and unwritten
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN
    assert not entries(ticket).exists()
    assert not transitions_published
    ticket.save()
    assert entries(ticket, TimelineKind.STATUS).count() == 1
    assert len(transitions_published) == 1


def test_the_actor_of_apply_transition_is_not_lent_to_a_later_direct_call(agent):
    ticket = apply_transition(TicketFactory(), "start", agent)
    ticket.wait_for_response()
    ticket.save()
    actors = list(entries(ticket, TimelineKind.STATUS).values_list("actor", flat=True))
    assert actors == [agent.pk, None]


def test_a_field_change_is_written_once(agent_client, agent):
    agent_client.post(urls.add(), urls.form_data(title="Before"))
    ticket = Ticket.objects.get()
    agent_client.post(urls.edit(ticket), urls.form_data(ticket, title="After", priority="urgent"))

    row = entries(ticket, TimelineKind.FIELDS).get()
    assert row.actor == agent
    assert row.visibility == Visibility.INTERNAL
    assert {change["field"]: (change["old"], change["new"]) for change in row.data["changes"]} == {
        "title": ("Before", "After"),
        "priority": ("normal", "urgent"),
    }
    timeline = timeline_html(agent_client, ticket)
    assert timeline.count("Before → After") == 1
    assert "Normal → Urgent" in timeline


def test_field_changes_read_with_names_not_ids(agent_client, agent):
    colleague = UserFactory(first_name="Bob", last_name="Builder", role="Support agents")
    ticket = TicketFactory(assigned_to=agent)
    ticket.assigned_to = colleague
    ticket.description = ""
    ticket.save()
    timeline = timeline_html(agent_client, ticket)
    assert f"{agent.get_full_name()} → Bob Builder" in timeline
    assert "Something does not work. → —" in timeline
    assert f"{agent.pk} →" not in timeline


def test_links_and_unlinks_are_written_with_who_made_them(agent_client, agent):
    ticket = TicketFactory()
    quote = Quote.objects.create(subject="Toner")
    agent_client.post(urls.link(ticket, "quotes"), {"record": quote.pk})
    agent_client.post(urls.unlink(ticket, "quotes", quote))

    rows = list(entries(ticket).order_by("created_at", "pk"))
    assert [(row.kind, row.actor_id, row.data["record_id"]) for row in rows] == [
        (TimelineKind.LINK, agent.pk, quote.pk),
        (TimelineKind.UNLINK, agent.pk, quote.pk),
    ]
    assert {row.visibility for row in rows} == {Visibility.INTERNAL}
    timeline = timeline_html(agent_client, ticket)
    assert f"unlinked: {quote}" in timeline
    assert f"linked: {quote}" in timeline


def test_an_opened_ticket_gets_its_creation_row(agent_client, agent):
    ticket = TicketFactory()
    publish(TicketOpened(ticket_id=ticket.pk, actor_id=None, channel="email"))
    row = entries(ticket, TimelineKind.CREATED).get()
    assert row.visibility == Visibility.PUBLIC
    assert "Ticket opened by an email." in timeline_html(agent_client, ticket)


def test_emails_in_and_out_are_on_the_timeline(agent_client, agent):
    ticket = TicketFactory()
    received = EmailMessage.objects.create(
        ticket=ticket, direction="in", status="received", from_address="claire@example.com",
        subject="Still broken", message_id="in@example.com",
    )  # fmt: skip
    sent = EmailMessage.objects.create(
        ticket=ticket, direction="out", status="sent", from_address="desk@example.com",
        to=["claire@example.com"], subject="We are on it", message_id="out@example.com",
    )  # fmt: skip
    publish(MessageAdded(ticket_id=ticket.pk, actor_id=None, message_id=received.pk))
    publish(MessageAdded(ticket_id=ticket.pk, actor_id=agent.pk, message_id=sent.pk))

    emails = entries(ticket).filter(kind__in=[TimelineKind.EMAIL_IN, TimelineKind.EMAIL_OUT])
    rows = emails.order_by("created_at", "pk")
    assert [(row.kind, row.visibility, row.data["subject"]) for row in rows] == [
        (TimelineKind.EMAIL_IN, Visibility.PUBLIC, "Still broken"),
        (TimelineKind.EMAIL_OUT, Visibility.PUBLIC, "We are on it"),
    ]
    timeline = timeline_html(agent_client, ticket)
    inspect_email = snippet_url("emailmessage", "inspect", received.pk)
    assert f'href="{inspect_email}"' in timeline
    assert "claire@example.com" in timeline


def test_a_ticket_opened_in_the_admin_starts_its_timeline(agent_client, agent):
    agent_client.post(urls.add(), urls.form_data(title="Printer on fire"))
    ticket = Ticket.objects.get()
    row = entries(ticket).get()
    assert (row.kind, row.actor, row.data) == (TimelineKind.CREATED, agent, {"channel": "admin"})
    assert "Ticket opened in the admin." in timeline_html(agent_client, ticket)


def test_an_email_opening_a_ticket_is_its_creation_and_its_first_email(agent_client):
    email = receive_email(AnymailInboundMessage.parse_raw_mime_bytes(eml("plain_text.eml")))
    rows = entries(email.ticket).order_by("created_at", "pk")
    assert [(row.kind, row.actor_id) for row in rows] == [
        (TimelineKind.CREATED, None),
        (TimelineKind.EMAIL_IN, None),  # not also "linked" to the Emails list
    ]
    assert rows.last().data["from"] == email.from_address
    timeline = timeline_html(agent_client, email.ticket)
    assert "Ticket opened by an email." in timeline
    assert email.subject in timeline


def test_an_email_sent_from_the_ticket_is_on_its_timeline_once(agent_client, agent):
    ticket = TicketFactory()
    compose = urls.send_email(ticket)
    agent_client.post(compose, {"to": "claire@acme.example", "subject": "About it", "body": "Hi"})
    row = entries(ticket).get()
    assert (row.kind, row.actor, row.data["to"]) == (
        TimelineKind.EMAIL_OUT,
        agent,
        ["claire@acme.example"],
    )


# Reading: one timeline on the ticket's page
# ----------------------------------------------------------------------------------------------


def busy_ticket(agent) -> Ticket:
    """A ticket with one row of each kind the page filters: status, fields, link."""
    ticket = apply_transition(TicketFactory(title="Old title"), "start", agent, "Picked up")
    ticket.title = "New title"
    ticket.save()
    quote = Quote.objects.create(subject="Drum unit")
    ticket.quotes.add(quote)
    from ticketing.tickets.services.linking import log_link_change

    log_link_change(ticket, "quotes", quote, "add")
    return ticket


def test_the_ticket_page_shows_one_timeline_newest_first(agent_client, agent):
    ticket = busy_ticket(agent)
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    assert "Status timeline" not in page
    assert urls.field_history(ticket) not in page
    timeline = timeline_html(agent_client, ticket)
    kinds = [kind for kind in ("Linked", "Field change", "Status change") if kind in timeline]
    assert kinds == ["Linked", "Field change", "Status change"]
    positions = [
        timeline.index(text)
        for text in ("Drum unit", "Old title → New title", "Open → In progress")
    ]
    assert positions == sorted(positions)
    assert "Picked up" in timeline
    assert agent.get_full_name() in timeline


def test_the_timeline_filters_by_kind(agent_client, agent):
    ticket = busy_ticket(agent)
    only_status = timeline_html(agent_client, ticket, "?kind=status")
    assert "Open → In progress" in only_status
    assert "Old title" not in only_status
    assert "Drum unit" not in only_status
    only_fields = timeline_html(agent_client, ticket, "?kind=fields")
    assert "Old title → New title" in only_fields
    assert "Open → In progress" not in only_fields
    only_links = timeline_html(agent_client, ticket, "?kind=links")
    assert "Drum unit" in only_links
    assert "Old title" not in only_links
    assert 'aria-current="page"' in only_links.split("Links</a>")[0].rsplit("<a ", 1)[1]
    everything = timeline_html(agent_client, ticket, "?kind=nonsense")
    assert all(text in everything for text in ("Open → In progress", "Old title", "Drum unit"))


def test_the_timeline_system_rows_and_comments_read_in_the_readers_language(agent_client):
    ticket = TicketFactory(solution="Fixed")
    apply_transition(
        ticket, "close", None, "Email from claire@example.com.", check_permission=False
    )
    timeline = timeline_html(agent_client, ticket)
    assert "System" in timeline
    assert "Email from claire@example.com." in timeline


def test_the_timeline_is_paginated_with_a_constant_number_of_queries(agent_client, agent):
    ticket = TicketFactory()
    for number in range(3):
        TimelineEntry.objects.create(ticket=ticket, kind="fields", actor=agent, data={
            "changes": [{"field": "title", "old": f"t{number}", "new": f"t{number + 1}"}]
        })  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        agent_client.get(urls.inspect(ticket))
    for number in range(3, 45):
        other = UserFactory()
        TimelineEntry.objects.create(ticket=ticket, kind="status", actor=other, data={
            "transition": "start", "from": "open", "to": "in_progress", "comment": f"n{number}"
        })  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        agent_client.get(urls.inspect(ticket))
    assert len(many) == len(few)

    first = timeline_html(agent_client, ticket)
    assert first.count("<li ") == 20
    assert "Older entries" in first
    assert "Newer entries" not in first
    last = timeline_html(agent_client, ticket, "?timeline_page=3")
    assert last.count("<li ") == 5
    assert "t0 → t1" in last
    assert "Newer entries" in last


def test_the_timeline_shows_times_in_the_readers_time_zone(agent_client, agent):
    profile = UserProfile.get_for_user(agent)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    ticket = apply_transition(TicketFactory(), "start", agent)
    row = entries(ticket).get()
    timeline = timeline_html(agent_client, ticket)
    tokyo = formats.date_format(
        row.created_at.astimezone(ZoneInfo("Asia/Tokyo")), "DATETIME_FORMAT"
    )
    paris = formats.date_format(
        row.created_at.astimezone(ZoneInfo("Europe/Paris")), "DATETIME_FORMAT"
    )
    assert tokyo in timeline
    assert paris not in timeline


def test_the_old_field_history_address_leads_to_the_timeline(agent_client):
    ticket = TicketFactory()
    response = agent_client.get(urls.field_history(ticket))
    assert response.status_code == 302
    assert response.url == f"{urls.inspect(ticket)}?kind=fields#timeline"
