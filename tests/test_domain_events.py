"""One road, one event per change: what a `ticket_changed` listener hears from each operation,
through the roads people and channels take, and nothing from a change that was undone."""

from pathlib import Path
from unittest import mock

import pytest
from anymail.inbound import AnymailInboundMessage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import (
    ContactFactory,
    ServiceContractFactory,
    ServiceFactory,
    TicketFactory,
    UserFactory,
)
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import receive_email
from ticketing.records import contracts
from ticketing.records.choices import TrackingUnit
from ticketing.records.documents import ticket_documents
from ticketing.records.models import Expense, Quote
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.events import (
    MessageAdded,
    RecordLinked,
    RecordUnlinked,
    TicketAssigned,
    TicketOpened,
    TicketTransitioned,
    TicketUpdated,
    ticket_changed,
)
from ticketing.tickets.models import Ticket, TimelineEntry
from ticketing.tickets.services.bulk import apply_transition_to_many
from ticketing.tickets.services.tickets import open_ticket, update_ticket

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "email"
OUR_MESSAGE_ID = "173262848012.4711.9000000000000000042@guichet.example"


def entries(ticket):
    return TimelineEntry.objects.filter(ticket=ticket).exclude(kind=TimelineKind.CREATED)


class Undone(Exception):
    pass


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """The events a `ticket_changed` listener hears during `with heard.while_committing():`."""

    class Heard(list):
        def while_committing(self):
            # pytest-django's transaction never commits: run what waits for the commit at the
            # end of the block, as a real commit would.
            return django_capture_on_commit_callbacks(execute=True)

    events = Heard()

    def listen(sender, event, **kwargs):
        assert sender is type(event)
        events.append(event)

    ticket_changed.connect(listen, dispatch_uid="test-domain-events")
    yield events
    ticket_changed.disconnect(dispatch_uid="test-domain-events")


def bulk_url(action: str, tickets) -> str:
    return urls.bulk_action_url(
        "ticket", action, [ticket.pk for ticket in tickets], next_url=urls.listing()
    )


# Opening and editing in the admin


def test_creating_a_ticket_in_the_admin_publishes_ticket_opened(agent_client, agent, heard):
    with heard.while_committing():
        response = agent_client.post(urls.add(), urls.form_data(assigned_to=agent.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.created_by == agent
    assert heard == [TicketOpened(ticket_id=ticket.pk, actor_id=agent.pk, channel="admin")]


def test_editing_publishes_only_the_fields_that_really_changed(agent_client, agent, heard):
    ticket = TicketFactory(title="Before", priority="normal", description="Same")
    with heard.while_committing():
        agent_client.post(urls.edit(ticket), urls.form_data(ticket, title="After"))
    change = {"title": ("Before", "After")}
    assert heard == [TicketUpdated(ticket_id=ticket.pk, actor_id=agent.pk, changes=change)]


def test_an_edit_that_changes_the_assignee_also_publishes_ticket_assigned(
    agent_client, agent, heard
):
    colleague = UserFactory(username="colleague", role="Support agents")
    ticket = TicketFactory(assigned_to=agent)
    with heard.while_committing():
        agent_client.post(urls.edit(ticket), urls.form_data(ticket, assigned_to=colleague.pk))
    change = {"assigned_to": (agent.pk, colleague.pk)}
    assert heard == [
        TicketUpdated(ticket_id=ticket.pk, actor_id=agent.pk, changes=change),
        TicketAssigned(
            ticket_id=ticket.pk, actor_id=agent.pk, from_user_id=agent.pk, to_user_id=colleague.pk
        ),
    ]


def test_saving_an_unchanged_form_or_a_stale_one_publishes_nothing(agent_client, heard):
    ticket = TicketFactory()
    stale = urls.form_data(ticket, title="Mine")
    with heard.while_committing():
        agent_client.post(urls.edit(ticket), urls.form_data(ticket))
        response = agent_client.post(urls.edit(ticket), stale)  # the save above moved on
    assert response.status_code == 200  # the edit conflict, shown on the form
    assert Ticket.objects.get(pk=ticket.pk).title != "Mine"
    assert heard == []


# Bulk actions


def test_bulk_assign_publishes_for_each_ticket_that_changes_hands(agent_client, agent, heard):
    colleague = UserFactory(username="colleague", role="Support agents")
    unassigned, theirs = TicketFactory(), TicketFactory(assigned_to=colleague)
    with heard.while_committing():
        agent_client.post(bulk_url("assign", [unassigned, theirs]), {"assignee": colleague.pk})
    assert heard == [
        TicketUpdated(
            ticket_id=unassigned.pk,
            actor_id=agent.pk,
            changes={"assigned_to": (None, colleague.pk)},
        ),
        TicketAssigned(
            ticket_id=unassigned.pk, actor_id=agent.pk, from_user_id=None, to_user_id=colleague.pk
        ),
    ]


def test_bulk_status_change_publishes_for_each_moved_ticket_only(agent_client, agent, heard):
    solved, unsolved = TicketFactory(solution="Fixed"), TicketFactory(solution="")
    with heard.while_committing():
        agent_client.post(
            bulk_url("transition", [solved, unsolved]), {"transition": "close", "comment": "Done"}
        )
    assert heard == [
        TicketTransitioned(
            ticket_id=solved.pk,
            actor_id=agent.pk,
            transition="close",
            from_status="open",
            to_status="closed",
            comment="Done",
        )
    ]


def test_a_bulk_close_recounts_each_contract_once(agent, heard):
    incidents = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    hours = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    tickets = TicketFactory.create_batch(3, solution="Fixed")
    incidents.tickets.add(*tickets)
    hours.tickets.add(*tickets[:2])
    spy = mock.patch.object(contracts, "recompute_used_units", wraps=contracts.recompute_used_units)
    with heard.while_committing(), spy as recount:
        outcome = apply_transition_to_many(tickets, "close", by=agent, comment="")
    assert len(outcome.changed) == 3
    assert sorted(call.args[0].pk for call in recount.call_args_list) == sorted(
        [incidents.pk, hours.pk]
    )
    incidents.refresh_from_db()
    assert incidents.used_units == 3
    assert [type(event) for event in heard] == [TicketTransitioned] * 3


# Mail


def test_an_email_that_opens_a_ticket_publishes_opened_then_message_added(heard):
    raw = (CORPUS / "plain_text.eml").read_bytes()
    with heard.while_committing():
        email = receive_email(AnymailInboundMessage.parse_raw_mime_bytes(raw))
    assert heard == [
        TicketOpened(ticket_id=email.ticket_id, actor_id=None, channel="email"),
        MessageAdded(
            ticket_id=email.ticket_id, actor_id=None, message_id=email.pk, direction="inbound"
        ),
    ]


def test_a_reply_to_a_waiting_ticket_publishes_the_resume_and_the_message(heard):
    claire = ContactFactory(email="claire.martin@example.com")
    ticket = TicketFactory(contact=claire, account=claire.account, status="waiting")
    EmailMessage.objects.create(
        ticket=ticket, direction="out", status="sent", from_address="support@guichet.example",
        to=[claire.email], subject=f"[{ticket.number}] Printer", message_id=OUR_MESSAGE_ID,
    )  # fmt: skip
    raw = (CORPUS / "reply_in_reply_to.eml").read_bytes()
    with heard.while_committing():
        email = receive_email(AnymailInboundMessage.parse_raw_mime_bytes(raw))
    assert email.ticket == ticket
    resumed, added = heard
    assert (type(resumed), resumed.ticket_id, resumed.actor_id, resumed.transition) == (
        TicketTransitioned,
        ticket.pk,
        None,
        "resume",
    )
    assert added == MessageAdded(
        ticket_id=ticket.pk, actor_id=None, message_id=email.pk, direction="inbound"
    )


def test_sending_an_email_from_a_ticket_publishes_message_added(agent_client, agent, heard):
    ticket = TicketFactory(contact=ContactFactory(email="claire@acme.example"))
    compose = urls.send_email(ticket)
    with heard.while_committing():
        response = agent_client.post(
            compose, {"to": "claire@acme.example", "subject": "About it", "body": "Hello"}
        )
    assert response.status_code == 302
    email = ticket.emails.get()
    assert heard == [
        MessageAdded(
            ticket_id=ticket.pk, actor_id=agent.pk, message_id=email.pk, direction="outbound"
        )
    ]


# Linking


def test_linking_and_unlinking_a_record_publish_one_event_each(agent_client, agent, heard):
    ticket = TicketFactory()
    quote = Quote.objects.create(subject="Toner")
    link = urls.link(ticket, "quotes")
    unlink = urls.unlink(ticket, "quotes", quote)
    with heard.while_committing():
        agent_client.post(link, {"record": quote.pk})
        agent_client.post(link, {"record": quote.pk})  # linked already: nothing changes
        agent_client.post(unlink)
    assert heard == [
        RecordLinked(ticket_id=ticket.pk, actor_id=agent.pk, list_key="quotes", record_id=quote.pk),
        RecordUnlinked(
            ticket_id=ticket.pk, actor_id=agent.pk, list_key="quotes", record_id=quote.pk
        ),
    ]


def test_moving_an_email_to_another_ticket_unlinks_it_from_the_first(agent_client, agent, heard):
    first, second = TicketFactory(), TicketFactory()
    email = EmailMessage.objects.create(
        ticket=first, direction="in", status="received", from_address="x@example.com",
        subject="Loose", message_id="loose@example.com",
    )  # fmt: skip
    with heard.while_committing():
        agent_client.post(urls.link(second, "emails"), {"record": email.pk})
    moved = {"actor_id": agent.pk, "list_key": "emails", "record_id": email.pk}
    assert heard == [
        RecordUnlinked(ticket_id=first.pk, **moved),
        RecordLinked(ticket_id=second.pk, **moved),
    ]


def test_a_records_own_tickets_field_links_and_unlinks_on_the_one_road(client, manager, heard):
    kept, left, joined = TicketFactory(), TicketFactory(), TicketFactory()
    service = ServiceFactory(name="On-site visit")
    service.tickets.set([kept, left])
    client.force_login(manager)
    data = {"name": service.name, "unit": "", "unit_price": "", "active": "on",
            "tickets": [kept.pk, joined.pk], "loaded_version": service.version}  # fmt: skip
    with heard.while_committing():
        response = client.post(snippet_url("service", "edit", service.pk), data)
    assert response.status_code == 302
    assert set(service.tickets.all()) == {kept, joined}
    moved = {"actor_id": manager.pk, "list_key": "services", "record_id": service.pk}
    assert heard == [RecordUnlinked(ticket_id=left.pk, **moved), RecordLinked(joined.pk, **moved)]
    assert [(row.kind, row.actor_id) for row in entries(joined)] == [
        (TimelineKind.LINK, manager.pk)
    ]
    assert [(row.kind, row.actor_id) for row in entries(left)] == [
        (TimelineKind.UNLINK, manager.pk)
    ]
    assert not entries(kept).exists()


def test_a_child_record_created_in_its_own_form_is_linked_on_the_one_road(
    agent_client, agent, heard
):
    ticket = TicketFactory()
    data = {"date": "2026-12-01", "amount": "12.50", "currency": "EUR",
            "description": "Taxi to the customer", "spent_by": agent.pk,
            "ticket": ticket.pk}  # fmt: skip
    with heard.while_committing():
        response = agent_client.post(snippet_url("expense", "add"), data)
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert heard == [RecordLinked(ticket.pk, agent.pk, list_key="expenses", record_id=expense.pk)]
    assert [(row.kind, row.actor_id) for row in entries(ticket)] == [(TimelineKind.LINK, agent.pk)]


def test_uploading_a_document_links_it_on_the_one_road(agent_client, agent, heard):
    ticket = TicketFactory()
    upload = SimpleUploadedFile("invoice.txt", b"Invoice 42", content_type="text/plain")
    with heard.while_committing():
        agent_client.post(urls.upload_document(ticket), {"title": "Invoice 42", "file": upload})
    document = ticket_documents(ticket).get()
    assert heard == [RecordLinked(ticket.pk, agent.pk, list_key="documents", record_id=document.pk)]
    assert [(row.kind, row.actor_id) for row in entries(ticket)] == [(TimelineKind.LINK, agent.pk)]


# Nothing for a change that was undone


def test_a_rolled_back_change_publishes_nothing(agent, heard):
    ticket = TicketFactory(title="Kept")

    def change_then_fail():
        with transaction.atomic():
            open_ticket(by=agent, title="Never opened")
            update_ticket(ticket, {"title": "Never saved"}, by=agent)
            raise Undone

    with heard.while_committing(), pytest.raises(Undone):
        change_then_fail()
    assert heard == []
    assert Ticket.objects.get().title == "Kept"


def test_a_refused_transition_publishes_nothing(agent_client, heard):
    ticket = TicketFactory(solution="")
    with heard.while_committing():
        agent_client.post(urls.transition(ticket, "close"), {"comment": ""})
    assert Ticket.objects.get(pk=ticket.pk).status == "open"
    assert heard == []


def test_an_update_may_not_change_the_status(agent):
    ticket = TicketFactory()
    with pytest.raises(ValueError, match="status"):
        update_ticket(ticket, {"status": "closed"}, by=agent)


def test_an_empty_update_writes_and_publishes_nothing(agent, heard):
    ticket = TicketFactory()
    version = ticket.version
    with heard.while_committing():
        update_ticket(ticket, {}, by=agent)
    assert Ticket.objects.get(pk=ticket.pk).version == version
    assert heard == []
