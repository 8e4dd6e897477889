"""Internal notes (issue 10): a timeline row for the team only, with @mentions told as an event."""

import pytest
from django.core import mail

from tests import admin_urls as urls
from tests.factories import ContactFactory, TicketFactory, UserFactory
from ticketing.knowledge.services import faq_prefill
from ticketing.tickets.choices import TimelineKind, Visibility
from ticketing.tickets.events import NoteAdded, ticket_changed
from ticketing.tickets.services.notes import EmptyNote, add_note, mentioned_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """The NoteAdded events told once committed."""
    events = []

    def receiver(sender, event, **kwargs):
        events.append(event)

    ticket_changed.connect(receiver, sender=NoteAdded, dispatch_uid="test-notes")
    yield events
    ticket_changed.disconnect(dispatch_uid="test-notes")


def test_mentioned_names_are_at_names_not_email_addresses():
    body = "Ask @marc.dupont and @julie. Mail claire@acme.example, then @marc.dupont again."
    assert mentioned_names(body) == ["marc.dupont", "julie"]


def test_a_note_is_an_internal_timeline_row_with_its_known_mentions(
    agent, heard, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="julie", role="Support agents")
    ticket = TicketFactory()
    with django_capture_on_commit_callbacks(execute=True):
        entry = add_note(ticket, "  @julie can you call them? @nobody  ", by=agent)
    assert entry.kind == TimelineKind.NOTE
    assert entry.visibility == Visibility.INTERNAL
    assert entry.actor == agent
    assert entry.data == {
        "body": "@julie can you call them? @nobody",
        "mentions": [colleague.pk],
        "unknown_mentions": ["nobody"],
    }
    (event,) = heard
    assert event == NoteAdded(
        ticket_id=ticket.pk,
        actor_id=agent.pk,
        entry_id=entry.pk,
        mentioned_user_ids=(colleague.pk,),
    )


def test_a_user_who_is_not_support_staff_is_not_mentioned(agent, marketer):
    entry = add_note(TicketFactory(), "@marketer look", by=agent)
    assert entry.data["mentions"] == []
    assert entry.data["unknown_mentions"] == ["marketer"]


def test_an_empty_note_is_refused(agent):
    with pytest.raises(EmptyNote):
        add_note(TicketFactory(), "   ", by=agent)


def test_agent_adds_a_note_and_is_told_of_an_unknown_mention(agent_client):
    UserFactory(username="julie", role="Support agents")
    ticket = TicketFactory()
    response = agent_client.post(
        urls.add_note(ticket), {"note-body": "@julie and @xyz, see above"}, follow=True
    )
    text = response.content.decode()
    assert "Internal note added." in text
    assert "No agent called @xyz: nobody was notified." in text
    assert "No agent called @julie" not in text
    assert ticket.timeline.get(kind=TimelineKind.NOTE).data["unknown_mentions"] == ["xyz"]


def test_an_empty_note_from_the_page_is_refused_and_writes_nothing(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.add_note(ticket), {"note-body": ""})
    assert response.status_code == 200
    assert not ticket.timeline.filter(kind=TimelineKind.NOTE).exists()


def test_a_user_who_may_not_change_tickets_writes_no_note(client, marketer):
    client.force_login(marketer)
    ticket = TicketFactory()
    response = client.post(urls.add_note(ticket), {"note-body": "hello"})
    assert response.status_code == 302  # Wagtail's refusal: back to the dashboard, with a message
    assert response.url != urls.inspect(ticket)
    assert not ticket.timeline.filter(kind=TimelineKind.NOTE).exists()


def test_a_note_never_goes_into_an_email_to_the_customer(
    agent, agent_client, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(contact=ContactFactory(email="claire@acme.example"))
    add_note(ticket, "SECRET: the customer is on our watch list", by=agent)
    form = agent_client.get(urls.send_email(ticket)).context["form"]
    assert "SECRET" not in str(form.initial)
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            urls.send_email(ticket),
            {"to": "claire@acme.example", "subject": ticket.title, "body": "Hello"},
        )
    (sent,) = mail.outbox
    assert "SECRET" not in sent.body
    assert "SECRET" not in sent.subject


def test_the_timeline_shows_the_note_as_internal(agent, agent_client):
    ticket = TicketFactory()
    add_note(ticket, "Called the customer", by=agent)
    text = agent_client.get(urls.inspect(ticket), {"kind": "notes"}).content.decode()
    assert 'data-kind="note" data-visibility="internal"' in text
    assert "Called the customer" in text


def test_a_note_never_goes_into_the_faq_conversion(agent):
    ticket = TicketFactory(solution="Replace the toner.", status="closed")
    add_note(ticket, "SECRET: refund them quietly", by=agent)
    assert "SECRET" not in str(faq_prefill(ticket))
