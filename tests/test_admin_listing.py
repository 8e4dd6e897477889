import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import (
    AccountFactory,
    ContactFactory,
    ProductFactory,
    QuoteFactory,
    TicketFactory,
    UserFactory,
)
from ticketing.tickets.models import TicketCategory
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def make_tickets(count: int, agent) -> None:
    account = AccountFactory()
    for index in range(count):
        TicketFactory(
            assigned_to=agent if index % 2 else None,
            account=account if index % 3 else None,
            contact=ContactFactory(account=account) if index % 5 == 0 else None,
            product=ProductFactory() if index % 4 == 0 else None,
            priority=["low", "normal", "high", "urgent"][index % 4],
            solution="Fixed" if index % 7 == 0 else "",
        )


def count_listing_queries(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(urls.listing() + query)
    assert response.status_code == 200
    return len(queries)


def test_listing_query_count_does_not_grow_with_rows_or_page_size(agent_client, agent):
    make_tickets(5, agent)
    small = count_listing_queries(agent_client)
    make_tickets(60, agent)
    large = count_listing_queries(agent_client)
    last_page = count_listing_queries(agent_client, "?p=2")
    filtered = count_listing_queries(agent_client, "?status=open&priority=high&assignee=mine")
    searched = count_listing_queries(agent_client, "?q=problem")
    # 5 rows shown, then a full page of 50 rows, then the last page: the same queries each time.
    assert small == large == last_page
    assert filtered <= small + 2
    assert searched <= small + 1
    assert large <= 20


def test_listing_shows_the_columns_an_agent_needs(agent_client, agent):
    contact = ContactFactory(first_name="Claire", last_name="Martin")
    ticket = TicketFactory(title="Printer on fire", contact=contact, assigned_to=agent)
    page = agent_client.get(urls.listing()).content.decode()
    for text in [
        ticket.number,
        "Printer on fire",
        "Open",
        "Normal",
        "Claire Martin",
        agent.get_full_name(),
        "General question",
    ]:
        assert text in page
    for heading in [
        "Ticket no.",
        "Title",
        "Status",
        "Priority",
        "Category",
        "Assigned to",
        "Related to",
        "Last update",
    ]:
        assert heading in page


def titles(response) -> set[str]:
    return {ticket.title for ticket in response.context["object_list"]}


def test_a_tickets_number_opens_its_page_not_the_edit_form(agent_client):
    ticket = TicketFactory()
    page = agent_client.get(urls.listing()).content.decode()
    row = page.split(ticket.number)[0].rsplit("<tr", 1)[1]
    assert f'href="{urls.inspect(ticket)}"' in row
    assert f'href="{urls.edit(ticket)}"' not in row


def test_filters(agent_client, agent):
    other = UserFactory(username="other", role="Support agents")
    billing = TicketCategory.objects.get(name="Billing")
    product = ProductFactory(name="Laser")
    TicketFactory(title="mine-high", assigned_to=agent, priority="high")
    TicketFactory(title="theirs", assigned_to=other, category=billing)
    TicketFactory(title="nobody", product=product)
    apply_transition(TicketFactory(title="started"), "start", agent)

    def listing(query):
        return titles(agent_client.get(urls.listing() + query))

    assert listing("?assignee=mine") == {"mine-high"}
    assert listing("?assignee=unassigned") == {"nobody", "started"}
    assert listing(f"?assignee={other.pk}") == {"theirs"}
    assert listing("?priority=high") == {"mine-high"}
    assert listing("?status=in_progress") == {"started"}
    assert listing("?status=open&status=in_progress") == {
        "mine-high",
        "theirs",
        "nobody",
        "started",
    }
    assert listing(f"?category={billing.pk}") == {"theirs"}
    assert listing(f"?product={product.pk}") == {"nobody"}


def test_search_matches_number_title_and_description(agent_client):
    first = TicketFactory(title="Printer on fire", description="smoke everywhere")
    TicketFactory(title="Invoice twice", description="billing duplicated")

    def search(q):
        return titles(agent_client.get(urls.listing(), {"q": q}))

    assert search("printer") == {"Printer on fire"}
    assert search("DUPLICATED") == {"Invoice twice"}
    assert search(first.number) == {"Printer on fire"}
    assert search("nothing like this") == set()


def test_search_finds_tickets_by_their_contact_and_account(agent_client):
    acme = AccountFactory(name="Acme Widgets", email="billing@acme.example")
    claire = ContactFactory(first_name="Claire", last_name="Martin", email="claire@acme.example")
    TicketFactory(title="Printer on fire", contact=claire)
    TicketFactory(title="Invoice twice", account=acme)
    bob = ContactFactory(first_name="Bob", last_name="Stone", email="bob@other.example")
    TicketFactory(title="Someone else", contact=bob)

    def search(q):
        return titles(agent_client.get(urls.listing(), {"q": q}))

    assert search("martin") == {"Printer on fire"}
    assert search("Claire Martin") == {"Printer on fire"}
    assert search("martin claire") == {"Printer on fire"}
    assert search("widgets") == {"Invoice twice"}
    # A customer's address finds their tickets, in any case; a part of one finds by substring.
    assert search("Claire@Acme.example") == {"Printer on fire"}
    assert search("billing@acme.example") == {"Invoice twice"}
    assert search("acme.example") == {"Printer on fire"}
    assert search("nobody@acme.example") == set()


def test_search_by_party_costs_the_same_queries(agent_client, agent):
    claire = ContactFactory(first_name="Claire", last_name="Martin", email="claire@acme.example")
    TicketFactory(contact=claire)
    make_tickets(5, agent)
    few = count_listing_queries(agent_client, "?q=claire%40acme.example")
    by_name = count_listing_queries(agent_client, "?q=Claire+Martin")
    make_tickets(60, agent)
    TicketFactory.create_batch(60, contact=claire)
    assert count_listing_queries(agent_client, "?q=claire%40acme.example") == few
    assert count_listing_queries(agent_client, "?q=Claire+Martin") == by_name == few


def test_sorting_by_priority_and_number(agent_client):
    TicketFactory(title="a", priority="urgent")
    TicketFactory(title="b", priority="low")
    by_number = agent_client.get(urls.listing(), {"ordering": "number"}).context["object_list"]
    assert [t.title for t in by_number] == ["a", "b"]
    by_priority = agent_client.get(urls.listing(), {"ordering": "priority"}).context["object_list"]
    assert [t.title for t in by_priority] == ["b", "a"]  # "low" < "urgent" alphabetically


def test_csv_export_respects_filters_and_shows_labels(agent_client, agent):
    TicketFactory(title="Exported", priority="high", assigned_to=agent)
    TicketFactory(title="Filtered out", priority="low")
    response = agent_client.get(urls.listing(), {"export": "csv", "priority": "high"})
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["Title"] for row in rows] == ["Exported"]
    assert rows[0]["Priority"] == "High"
    assert rows[0]["Status"] == "Open"
    assert rows[0]["Ticket no."] == "TT-000001"


def test_xlsx_export(agent_client):
    TicketFactory(title="In the spreadsheet", contact=None, account=None)
    response = agent_client.get(urls.listing(), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert "Related to" in header
    assert sheet.cell(row=2, column=header.index("Title") + 1).value == "In the spreadsheet"


def test_row_menu_offers_possible_transitions_and_returns_to_the_listing(agent_client):
    ticket = TicketFactory(solution="")
    page = agent_client.get(urls.listing(), {"priority": "normal"}).content.decode()
    start = urls.transition(ticket, "start")
    assert f"{start}?next=" in page
    assert urls.transition(ticket, "close") not in page  # no solution yet
    assert urls.transition(ticket, "reopen") not in page


def test_search_by_whole_ticket_number_in_any_case(agent_client):
    TicketFactory(title="first")
    TicketFactory(title="mentions TT-000001 in its title")

    def search(q):
        return titles(agent_client.get(urls.listing(), {"q": q}))

    assert search("tt-1") == {"first"}
    assert search(" TT-000001 ") == {"first"}
    assert search("TT-0000") == {"first", "mentions TT-000001 in its title"}


def make_millionth_tickets() -> tuple:
    from ticketing.common.numbering import NumberCounter

    NumberCounter.objects.update_or_create(name="ticket", defaults={"value": 999_998})
    return TicketFactory(title="999999th"), TicketFactory(title="millionth")


def listed(response) -> list[str]:
    return [ticket.title for ticket in response.context["object_list"]]


def test_newest_ticket_comes_first_past_a_million(agent_client):
    make_millionth_tickets()
    assert listed(agent_client.get(urls.listing())) == ["millionth", "999999th"]
    ascending = agent_client.get(urls.listing(), {"ordering": "number"})
    assert listed(ascending) == ["999999th", "millionth"]
    descending = agent_client.get(urls.listing(), {"ordering": "-number"})
    assert listed(descending) == ["millionth", "999999th"]


def test_number_column_sorts_numerically(agent_client):
    make_millionth_tickets()
    page = agent_client.get(urls.listing()).content.decode()
    # The column header's sort link orders by the integer, not by the string.
    assert "ordering=sequence" in page or "ordering=-sequence" in page
    ascending = agent_client.get(urls.listing(), {"ordering": "sequence"})
    assert listed(ascending) == ["999999th", "millionth"]


def test_search_by_number_past_a_million(agent_client):
    make_millionth_tickets()
    TicketFactory(title="error 1000000 in the log")
    for query in ("1000000", "TT-1000000", "tt-1000000"):
        assert "millionth" in listed(agent_client.get(urls.listing(), {"q": query})), query
    assert listed(agent_client.get(urls.listing(), {"q": "tt-1000000"})) == ["millionth"]
    # A bare number may also be text in a title.
    assert set(listed(agent_client.get(urls.listing(), {"q": "1000000"}))) == {
        "millionth",
        "error 1000000 in the log",
    }


def test_search_by_number_in_every_form(agent_client):
    TicketFactory.create_batch(41)
    TicketFactory(title="forty-second")
    for query in ("tt-42", "42", "TT-000042", "000042"):
        assert "forty-second" in listed(agent_client.get(urls.listing(), {"q": query})), query
    assert listed(agent_client.get(urls.listing(), {"q": "TT-000042"})) == ["forty-second"]


def test_numbered_records_list_and_search_by_their_sequence(agent_client):

    from ticketing.common.numbering import NumberCounter

    NumberCounter.objects.update_or_create(name="quote", defaults={"value": 999_998})
    QuoteFactory(subject="999999th")
    QuoteFactory(subject="millionth")
    quotes = snippet_url("quote", "list")

    def subjects(**params) -> list[str]:
        return [q.subject for q in agent_client.get(quotes, params).context["object_list"]]

    assert subjects() == ["millionth", "999999th"]
    assert subjects(ordering="number") == ["999999th", "millionth"]
    assert subjects(q="qt-1000000") == ["millionth"]
