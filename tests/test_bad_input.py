"""Hostile or mistaken input is refused with a clear message and changes nothing."""

import pytest

from tests import admin_urls as urls
from tests.factories import TicketFactory
from tests.timeline_rows import status_changes
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>bold</b>'


def test_html_in_text_fields_is_escaped_everywhere(agent_client):
    ticket = TicketFactory(title=SCRIPT, description=SCRIPT, solution=SCRIPT)
    apply_url = urls.transition(ticket, "start")
    agent_client.post(apply_url, {"comment": SCRIPT})
    pages = [
        urls.listing(),
        urls.inspect(ticket),
        urls.edit(ticket),
        urls.history(ticket),
        urls.transition(ticket, "wait_for_response"),
    ]
    for url in pages:
        page = agent_client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in page, url
        assert "<b>bold</b>" not in page, url
        assert "&lt;script&gt;" in page or "&lt;b&gt;" in page, url


def test_over_long_title_is_refused(agent_client):
    response = agent_client.post(urls.add(), urls.form_data(title="x" * 256))
    assert response.status_code == 200
    assert "at most 255 characters" in response.content.decode()
    assert not Ticket.objects.exists()


def test_missing_title_is_refused(agent_client):
    response = agent_client.post(urls.add(), urls.form_data(title="  "))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Ticket.objects.exists()


def test_unknown_priority_is_refused(agent_client):
    response = agent_client.post(urls.add(), urls.form_data(priority="apocalyptic"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Ticket.objects.exists()


def test_unknown_assignee_or_category_is_refused(agent_client):
    response = agent_client.post(urls.add(), urls.form_data(assigned_to=999999, category=424242))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Ticket.objects.exists()


def test_forged_status_in_edit_form_is_ignored(agent_client):
    ticket = TicketFactory()
    agent_client.post(urls.edit(ticket), urls.form_data(ticket, status="closed", number="X-1"))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.number == "TT-000001"


def test_forged_transition_post_is_refused_with_a_message(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.transition(ticket, "reopen"), {"comment": ""}, follow=True)
    assert "“Reopen” is not possible while the ticket is “Open”" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert not status_changes(ticket).exists()


def test_unknown_transition_name_is_refused(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.transition(ticket, "explode"), {}, follow=True)
    assert "is not a ticket transition" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN


def test_forged_edit_action_is_refused(agent_client):
    ticket = TicketFactory()
    data = urls.form_data(ticket, **{"action-reopen": "Reopen"})
    response = agent_client.post(urls.edit(ticket), data)
    assert response.status_code == 200
    assert "not possible" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN


def test_over_long_comment_is_refused(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.transition(ticket, "start"), {"comment": "x" * 2001})
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN


def test_missing_ticket_is_a_404(agent_client):
    assert agent_client.get(urls.ticket_url("inspect", 999)).status_code == 404
    assert agent_client.get(urls.ticket_url("transition", 999, "start")).status_code == 404


def test_edit_without_loaded_version_is_refused_with_a_visible_message(agent_client):
    ticket = TicketFactory(title="Kept")
    data = urls.form_data(ticket, title="Changed")
    del data["loaded_version"]
    response = agent_client.post(urls.edit(ticket), data)
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).title == "Kept"
