import re

import pytest
from auditlog.models import LogEntry

from tests import admin_urls as urls
from tests.factories import TicketFactory, UserFactory
from tests.timeline_rows import status_changes
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def test_create_form_has_no_solution_and_marks_required_fields(agent_client):
    page = agent_client.get(urls.add()).content.decode()
    assert 'name="title"' in page
    assert 'name="solution"' not in page
    assert (
        "required" in page.split('name="title"')[1].split(">")[0] or 'aria-required="true"' in page
    )


def test_agent_creates_a_ticket_assigned_to_them_by_default(agent_client, agent):
    page = agent_client.get(urls.add())
    assert page.context["form"].initial["assigned_to"] == agent.pk

    response = agent_client.post(urls.add(), urls.form_data(assigned_to=agent.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.number == "TT-000001"
    assert ticket.status == TicketStatus.OPEN
    assert ticket.assigned_to == agent
    assert ticket.created_by == agent
    assert ticket.priority == "normal"


def test_posted_solution_and_status_are_ignored_at_creation(agent_client):
    agent_client.post(urls.add(), urls.form_data(solution="sneaky", status="closed"))
    ticket = Ticket.objects.get()
    assert ticket.solution == ""
    assert ticket.status == TicketStatus.OPEN


def test_edit_form_shows_the_solution(agent_client):
    ticket = TicketFactory()
    assert 'name="solution"' in agent_client.get(urls.edit(ticket)).content.decode()


def test_close_from_the_edit_menu_saves_then_asks_the_same_as_the_header_button(agent_client):
    ticket = TicketFactory()
    data = urls.form_data(ticket, solution="Replaced the toner.", **{"action-close": "Close"})
    response = agent_client.post(urls.edit(ticket), data)
    # What was typed is kept, and the status waits for the confirmation and its comment.
    assert response.status_code == 302
    assert response.url == urls.transition(ticket, "close")
    ticket.refresh_from_db()
    assert ticket.solution == "Replaced the toner."
    assert ticket.status == TicketStatus.OPEN
    assert not status_changes(ticket).exists()

    confirmation = agent_client.get(response.url).content.decode()
    assert "Apply “Close”" in confirmation
    assert 'name="comment"' in confirmation
    assert "saved. Confirm “Close” to change its status." in confirmation

    agent_client.post(response.url, {"comment": "Toner was empty"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    change = status_changes(ticket).get()
    assert change.data["to"] == TicketStatus.CLOSED
    assert change.data["comment"] == "Toner was empty"


def test_close_without_solution_from_edit_form_keeps_input_and_changes_nothing(agent_client):
    ticket = TicketFactory(description="old")
    data = urls.form_data(ticket, description="typed but not saved", **{"action-close": "Close"})
    response = agent_client.post(urls.edit(ticket), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a solution before closing the ticket." in page
    assert "typed but not saved" in page
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.description == "old"


def test_edit_menu_offers_only_possible_transitions(agent_client):
    ticket = TicketFactory()
    page = agent_client.get(urls.edit(ticket)).content.decode()
    assert 'name="action-start"' in page
    assert 'name="action-close"' in page  # offered: the agent may type the solution first
    assert 'name="action-reopen"' not in page
    assert 'name="action-resume"' not in page


def test_second_agent_saving_a_stale_form_is_refused(agent_client):
    ticket = TicketFactory(title="Original")
    stale_form = urls.form_data(ticket, title="Second agent's title")
    other = UserFactory(username="other", role="Support agents")
    from django.test import Client

    first = Client()
    first.force_login(other)
    assert first.post(urls.edit(ticket), urls.form_data(ticket, title="First")).status_code == 302

    response = agent_client.post(urls.edit(ticket), stale_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Someone else saved this ticket while you were editing it") == 1
    assert 'value="Second agent&#x27;s title"' in page  # the form keeps what was typed
    ticket.refresh_from_db()
    assert ticket.title == "First"


def test_every_change_reaches_the_timeline(agent_client, agent):
    agent_client.post(urls.add(), urls.form_data(title="Before"))
    ticket = Ticket.objects.get()
    agent_client.post(urls.edit(ticket), urls.form_data(ticket, title="After", priority="urgent"))

    entry = LogEntry.objects.get_for_object(ticket).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == agent
    assert entry.changes_dict["title"] == ["Before", "After"]
    assert entry.changes_dict["priority"] == ["normal", "urgent"]

    page = agent_client.get(urls.inspect(ticket)).content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "<dt>Title</dt>" in timeline
    assert "Before → After" in timeline
    assert "<dt>Priority</dt>" in timeline
    assert "Normal → Urgent" in timeline
    assert "<dt>Version</dt>" not in timeline
    assert "<dt>ID</dt>" not in timeline


def test_transitions_appear_once_in_the_timeline(agent_client):
    ticket = TicketFactory()
    agent_client.post(urls.transition(ticket, "start"), {"comment": "On it"})
    inspect = agent_client.get(urls.inspect(ticket)).content.decode()
    timeline = inspect.split('data-testid="timeline"')[1]
    assert timeline.count("Open → In progress") == 1
    assert "On it" in timeline
    assert "<dt>Status</dt>" not in timeline  # not a field change besides


def test_transition_page_confirms_then_applies(agent_client):
    ticket = TicketFactory()
    page = agent_client.get(urls.transition(ticket, "start"))
    assert page.status_code == 200
    assert "Apply “Start”" in page.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN

    response = agent_client.post(urls.transition(ticket, "start"), {"comment": ""}, follow=True)
    assert "is now “In progress”" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.IN_PROGRESS


def test_transition_redirects_to_a_safe_next_only(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(
        urls.transition(ticket, "start") + "?next=https://evil.example/", {"comment": ""}
    )
    assert response.url == urls.inspect(ticket)
    ticket2 = TicketFactory()
    response = agent_client.post(
        urls.transition(ticket2, "start") + "?next=" + urls.listing(), {"comment": ""}
    )
    assert response.url == urls.listing()


def test_inspect_view_shows_every_field_and_header_buttons(agent_client):
    ticket = TicketFactory(description="Line one", solution="")
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    # Each label as a field's own <dt>: the words alone are also in the header and the timeline.
    field_labels = re.findall(r"<dt>\s*(.*?)\s*</dt>", page, re.S)
    for label in [
        "Ticket no.",
        "Title",
        "Status",
        "Priority",
        "Category",
        "Assigned to",
        "Description",
        "Solution",
        "Created",
        "Closed",
    ]:
        assert label in field_labels, label
    assert ticket.number in page
    assert urls.transition(ticket, "start") in page
    assert urls.transition(ticket, "reopen") not in page
    assert urls.field_history(ticket) not in page  # the timeline on this page replaces it
    assert 'data-testid="timeline"' in page


def test_wagtail_history_lists_saves_not_status_changes(agent_client):
    agent_client.post(urls.add(), urls.form_data(title="Logged"))
    ticket = Ticket.objects.get()
    agent_client.post(urls.transition(ticket, "start"), {"comment": "Picked up"})
    assert agent_client.get(urls.history(ticket)).status_code == 200
    results = urls.ticket_url("history_results", ticket.pk)
    page = agent_client.get(results).content.decode()
    assert "Created" in page
    # A status change is written once, on the ticket's own timeline.
    assert "In progress" not in page


def test_choosing_a_contact_fills_in_its_account_when_empty(agent_client):
    from tests.factories import AccountFactory, ContactFactory

    contact = ContactFactory()
    agent_client.post(urls.add(), urls.form_data(contact=contact.pk))
    assert Ticket.objects.get().account == contact.account

    other_account = AccountFactory()
    agent_client.post(urls.add(), urls.form_data(contact=contact.pk, account=other_account.pk))
    assert Ticket.objects.order_by("-pk").first().account == other_account


def status_side_panel(page: str) -> str:
    """The HTML of the edit form's "Status" side panel."""
    return page.split('data-side-panel="status"')[1].split('class="form-side__panel"')[0]


def test_edit_form_shows_the_ticket_status_instead_of_live(agent_client, agent):
    ticket = apply_transition(TicketFactory(), "start", agent, "On it")
    page = agent_client.get(urls.edit(ticket)).content.decode()
    panel = status_side_panel(page)
    assert "In progress" in panel
    assert "Live" not in panel
    header = page.split('id="header-title"')[1].split("</h2>")[0]
    assert "In progress" in header


def test_a_transition_no_longer_possible_is_refused_once(agent_client):
    ticket = TicketFactory()
    data = urls.form_data(ticket, **{"action-start": "Start"})
    agent_client.post(urls.transition(ticket, "start"), {"comment": ""})
    # The form was loaded while the ticket was open: "Start" is no longer possible.
    response = agent_client.post(urls.edit(ticket), {**data, "loaded_version": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("“Start” is not possible while the ticket is “In progress”.") == 1
