"""One rule for who sees which tickets: `Ticket.objects.visible_to(user)`, on every road.

Today support staff see every ticket and everyone else none. The roads are checked against a
narrower rule too (one ticket kept from everybody, as the portal or a team will): a road that
bypassed visible_to would show it.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model

from tests import admin_urls as urls
from tests.admin_urls import bulk_action_url, chooser_url, snippet_url
from tests.factories import AccountFactory, TicketFactory, UserFactory
from ticketing.common.documents import ticket_documents_collection
from ticketing.parties.models import Account
from ticketing.records.documents import attach_documents
from ticketing.records.models import Expense
from ticketing.tickets.models import Ticket
from ticketing.tickets.querysets import TicketQuerySet

pytestmark = pytest.mark.django_db

SHOWN, HIDDEN = "Shown printer 4711", "Hidden printer 0815"


def admin_only_user(username="admin-only", *perms: tuple[type, str]):
    """A user who reaches the admin, with no ticket permission: `perms` only."""
    user = UserFactory(username=username)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for model, codename in perms:
        content_type = ContentType.objects.get_for_model(model)
        user.user_permissions.add(
            Permission.objects.get(content_type=content_type, codename=codename)
        )
    return user


@pytest.fixture
def outsider():
    return admin_only_user()


def test_support_staff_see_every_ticket(agent, manager, superuser):
    tickets = {TicketFactory().pk, TicketFactory().pk}
    for user in (agent, manager, superuser):
        assert set(Ticket.objects.visible_to(user).values_list("pk", flat=True)) == tickets


def test_everyone_else_sees_none(marketer, outsider, agent):
    TicketFactory()
    agent.is_active = False
    assert not Ticket.objects.visible_to(marketer).exists()
    assert not Ticket.objects.visible_to(outsider).exists()
    assert not Ticket.objects.visible_to(agent).exists()
    assert not Ticket.objects.visible_to(None).exists()


def test_related_managers_are_ticket_querysets(agent, marketer):
    account = AccountFactory()
    TicketFactory(account=account)
    assert account.tickets.visible_to(agent).count() == 1
    assert account.tickets.visible_to(marketer).count() == 0


# What a user without ticket permission gets from each road: Wagtail's refusal, no ticket.
ROADS = {
    "listing": lambda ticket: urls.listing(),
    "search": lambda ticket: urls.listing() + "?q=printer",
    "export_csv": lambda ticket: urls.listing() + "?export=csv",
    "chooser_results": lambda ticket: chooser_url("ticket", "choose_results") + "?q=printer",
    "bulk_all": lambda ticket: bulk_action_url("ticket", "assign", ["all"]),
    "inspect": lambda ticket: urls.inspect(ticket),
    "edit": lambda ticket: urls.edit(ticket),
    "history": lambda ticket: urls.history(ticket),
}


@pytest.mark.parametrize("road", ROADS)
@pytest.mark.parametrize("who", ["marketer", "outsider"])
def test_no_ticket_reaches_a_user_without_ticket_permission(client, road, who, request):
    ticket = TicketFactory(title=SHOWN)
    client.force_login(request.getfixturevalue(who))
    response = client.get(ROADS[road](ticket))
    assert response.status_code in (302, 403, 404)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert SHOWN.encode() not in content
    assert ticket.number.encode() not in content


def test_a_record_page_lists_no_ticket_to_someone_who_may_not_see_them(client):
    account = AccountFactory(name="Acme")
    TicketFactory(title=SHOWN, account=account)
    client.force_login(admin_only_user("account-reader", (Account, "view_account")))
    response = client.get(snippet_url(Account, "inspect", account.pk))
    assert response.status_code == 200
    assert "Acme" in response.content.decode()
    assert SHOWN not in response.content.decode()
    assert 'data-testid="record-tickets"' not in response.content.decode()


@pytest.mark.parametrize("who", ["marketer", "outsider"])
def test_a_ticket_document_is_refused_to_a_user_without_ticket_permission(client, who, request):
    # The private collection's view restriction is what refuses it (see documents.py).
    document = get_document_model()(title="Invoice", collection=ticket_documents_collection())
    document.file.save("invoice.txt", ContentFile(b"secret"), save=False)
    document.save()
    attach_documents(TicketFactory(), document)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("wagtaildocs_serve", args=(document.pk, document.filename)))
    assert response.status_code == 403
    assert b"secret" not in response.content


@pytest.fixture
def hidden(monkeypatch):
    """A ticket visible_to keeps from everybody, beside one it shows."""
    shown = TicketFactory(title=SHOWN)
    hidden = TicketFactory(title=HIDDEN)
    everyone = TicketQuerySet.visible_to
    monkeypatch.setattr(
        TicketQuerySet, "visible_to", lambda self, user: everyone(self, user).exclude(pk=hidden.pk)
    )
    return shown, hidden


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize(
    "url",
    [
        urls.listing(),
        urls.ticket_url("list_results"),
        urls.listing() + "?q=printer",
        urls.listing() + "?export=csv",
        chooser_url("ticket", "choose"),
        chooser_url("ticket", "choose_results"),
        chooser_url("ticket", "choose_results") + "?q=printer",
    ],
)
def test_listings_show_only_visible_tickets(agent_client, hidden, url):
    shown, hidden = hidden
    page = body(agent_client.get(url))
    assert SHOWN in page
    assert HIDDEN not in page
    assert hidden.number not in page


def test_search_by_number_does_not_find_a_hidden_ticket(agent_client, hidden):
    shown, hidden = hidden
    page = agent_client.get(urls.listing(), {"q": hidden.number}).content.decode()
    assert HIDDEN not in page


def test_xlsx_export_holds_only_visible_tickets(agent_client, hidden):
    import io

    import openpyxl

    response = agent_client.get(urls.listing(), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(cell.value) for row in workbook.active.iter_rows() for cell in row}
    assert SHOWN in cells
    assert HIDDEN not in cells


def ticket_pages(ticket) -> list[str]:
    pk = ticket.pk
    return [
        urls.inspect(ticket),
        urls.edit(ticket),
        urls.history(ticket),
        urls.ticket_url("history_results", pk),
        urls.ticket_url("usage", pk),
        urls.field_history(ticket),
        urls.transition(ticket, "start"),
        urls.link(ticket, "services"),
        urls.upload_document(ticket),
        urls.send_email(ticket),
        chooser_url("ticket", "chosen", pk),
    ]


def test_every_page_of_a_hidden_ticket_is_not_found(client, manager, hidden):
    shown, hidden = hidden
    client.force_login(manager)
    for url in [*ticket_pages(hidden), urls.delete(hidden)]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert HIDDEN.encode() not in response.content
    for url in [*ticket_pages(shown), urls.delete(shown)]:
        # The former field-history address redirects to the timeline on the ticket's page.
        assert client.get(url, follow=True).status_code == 200, url


def test_posting_to_a_hidden_ticket_changes_nothing(client, manager, hidden):
    shown, hidden = hidden
    client.force_login(manager)
    assert client.post(urls.transition(hidden, "start")).status_code == 404
    assert client.post(urls.delete(hidden)).status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == "open"


def test_choosing_several_leaves_out_a_hidden_ticket(agent_client, hidden):
    shown, hidden = hidden
    url = chooser_url("ticket", "chosen_multiple")
    page = agent_client.get(f"{url}?id={shown.pk}&id={hidden.pk}").content.decode()
    assert SHOWN in page
    assert HIDDEN not in page


@pytest.mark.parametrize("action", ["assign", "transition", "delete"])
def test_bulk_actions_take_only_visible_tickets(client, manager, hidden, action):
    shown, hidden = hidden
    client.force_login(manager)
    for ids in (["all"], [shown.pk, hidden.pk]):
        response = client.get(bulk_action_url("ticket", action, ids, next_url=urls.listing()))
        assert response.status_code == 200
        assert SHOWN in response.content.decode()
        assert HIDDEN not in response.content.decode()
    # Only the hidden one selected: nothing to act on, and no name given.
    response = client.get(bulk_action_url("ticket", action, [hidden.pk]))
    assert HIDDEN.encode() not in response.content


def test_bulk_assign_of_all_leaves_a_hidden_ticket_alone(agent_client, agent, hidden):
    shown, hidden = hidden
    url = bulk_action_url("ticket", "assign", ["all"], next_url=urls.listing())
    agent_client.post(url, {"assignee": agent.pk})
    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert shown.assigned_to == agent
    assert hidden.assigned_to is None


def test_a_record_page_lists_only_visible_tickets(agent_client, hidden):
    shown, hidden = hidden
    account = AccountFactory()
    Ticket.objects.filter(pk__in=[shown.pk, hidden.pk]).update(account=account)
    page = agent_client.get(snippet_url(Account, "inspect", account.pk)).content.decode()
    assert SHOWN in page
    assert HIDDEN not in page
    assert "(1)" in page


def test_a_record_created_from_a_hidden_ticket_is_not_linked_to_it(agent_client, hidden):
    shown, hidden = hidden
    add = snippet_url(Expense, "add") + f"?ticket={hidden.pk}"
    page = agent_client.get(add).content.decode()
    assert HIDDEN not in page


def test_the_policy_answers_for_each_ticket_with_visible_to(agent, hidden):
    from wagtail.permissions import policy_registry

    shown, hidden = hidden
    policy = policy_registry.get_by_type(Ticket)
    assert policy.user_has_permission_for_instance(agent, "change", shown)
    assert not policy.user_has_permission_for_instance(agent, "change", hidden)
    assert list(policy.instances_user_has_any_permission_for(agent, ["view"])) == [shown]
    assert not policy.instances_user_has_any_permission_for(agent, ["delete"]).exists()


def test_anonymous_sees_nothing_either():
    TicketFactory(title=SHOWN)
    response = Client().get(chooser_url("ticket", "choose_results"))
    assert response.status_code == 302
    assert SHOWN.encode() not in response.content


def test_select_all_starts_from_the_visible_tickets(rf, agent, hidden):
    from django.http import QueryDict

    from ticketing.tickets.views.bulk_actions import AssignTicketsBulkAction, tickets_in_listing

    shown, hidden = hidden
    request = rf.get("/")
    request.user = agent
    assert list(tickets_in_listing(QueryDict(""), request)) == [shown]
    # The action itself, not only the guard in front of it (ticketing.common.views).
    action = AssignTicketsBulkAction(request, Ticket)
    assert list(action.get_queryset(Ticket, [shown.pk, hidden.pk])) == [shown]


def test_a_record_form_offers_only_visible_tickets_and_keeps_the_others(client, manager, hidden):
    from ticketing.records.models import Service

    shown, hidden = hidden
    other = TicketFactory(title="Other printer")
    service = Service.objects.create(name="Toner", unit_price=1)
    service.tickets.add(hidden, shown)
    client.force_login(manager)
    edit = snippet_url(Service, "edit", service.pk)
    page = client.get(edit).content.decode()
    assert SHOWN in page
    assert HIDDEN not in page
    form = client.get(edit).context["form"]
    data = {
        "name": "Toner",
        "unit": form.initial.get("unit") or "",
        "unit_price": "1",
        "active": "on",
        "tickets": [other.pk],
        "loaded_version": service.version,
    }
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(service.tickets.all()) == {hidden, other}
    data.update(tickets=[hidden.pk], loaded_version=service.version + 1)
    response = client.post(edit, data)
    assert response.status_code == 200  # a hidden ticket cannot be chosen
