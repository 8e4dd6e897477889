import pytest
from auditlog.models import LogEntry

from tests import admin_urls as urls
from tests.admin_urls import bulk_action_url
from tests.factories import TicketFactory, UserFactory
from tests.timeline_rows import status_changes
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def bulk_ticket_url(action: str, ids) -> str:
    return bulk_action_url("ticket", action, ids, next_url=urls.listing())


def test_bulk_assign_sets_assignee_and_audits_each_ticket(agent_client):
    colleague = UserFactory(username="colleague", role="Support agents")
    tickets = [TicketFactory(), TicketFactory()]
    url = bulk_ticket_url("assign", [t.pk for t in tickets])
    confirm = agent_client.get(url).content.decode()
    assert "Assign these tickets?" in confirm
    response = agent_client.post(url, {"assignee": colleague.pk}, follow=True)
    assert "2 tickets assigned." in response.content.decode()
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assigned_to == colleague
        entry = LogEntry.objects.get_for_object(ticket).filter(action=LogEntry.Action.UPDATE).get()
        assert "assigned_to" in entry.changes_dict


def test_bulk_assign_refuses_someone_who_cannot_handle_tickets(agent_client, marketer):
    ticket = TicketFactory()
    response = agent_client.post(bulk_ticket_url("assign", [ticket.pk]), {"assignee": marketer.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assigned_to is None


def test_bulk_transition_moves_what_it_can_and_reports_the_rest(agent_client):
    solved = TicketFactory(solution="Fixed")
    unsolved = TicketFactory(solution="")
    url = bulk_ticket_url("transition", [solved.pk, unsolved.pk])
    response = agent_client.post(url, {"transition": "close", "comment": "batch"}, follow=True)
    page = response.content.decode()
    assert "1 ticket changed status." in page
    assert f"{unsolved.number}: Enter a solution before closing the ticket." in page
    assert Ticket.objects.get(pk=solved.pk).status == TicketStatus.CLOSED
    assert Ticket.objects.get(pk=unsolved.pk).status == TicketStatus.OPEN
    assert status_changes(solved).get().data["comment"] == "batch"


def test_select_all_respects_the_listing_filters(agent_client, agent):
    high = TicketFactory(priority="high")
    low = TicketFactory(priority="low")
    colleague = UserFactory(username="colleague", role="Support agents")
    listing_with_filter = urls.listing() + "?priority=high"
    url = bulk_action_url("ticket", "assign")
    url += "?id=all&next=" + listing_with_filter.replace("?", "%3F").replace("=", "%3D")
    agent_client.post(url, {"assignee": colleague.pk})
    assert Ticket.objects.get(pk=high.pk).assigned_to == colleague
    assert Ticket.objects.get(pk=low.pk).assigned_to is None


def test_select_all_respects_the_search(agent_client):
    match = TicketFactory(title="Printer on fire")
    other = TicketFactory(title="Invoice")
    colleague = UserFactory(username="colleague", role="Support agents")
    url = bulk_action_url("ticket", "assign")
    url += "?id=all&next=" + (urls.listing() + "%3Fq%3Dprinter")
    agent_client.post(url, {"assignee": colleague.pk})
    assert Ticket.objects.get(pk=match.pk).assigned_to == colleague
    assert Ticket.objects.get(pk=other.pk).assigned_to is None


def test_marketer_cannot_use_bulk_actions(client, marketer):
    ticket = TicketFactory()
    client.force_login(marketer)
    response = client.post(bulk_ticket_url("transition", [ticket.pk]), {"transition": "start"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN
