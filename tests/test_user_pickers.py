"""Every user picker (forms and listing filters) offers support staff only, by their names."""

import re

import pytest

from tests import admin_urls as urls
from tests.admin_urls import bulk_action_url, snippet_url
from tests.factories import (
    ActivityFactory,
    ExpenseFactory,
    TicketFactory,
    TimesheetFactory,
    UserFactory,
)
from ticketing.records.models import Expense

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "colleague": UserFactory(
            username="cdupont", first_name="Camille", last_name="Dupont", role="Support agents"
        ),
        "nameless": UserFactory(
            username="jdoe", first_name="", last_name="", role="Support managers"
        ),
        "marketer": UserFactory(
            username="mkt", first_name="Maxime", last_name="Martel", role="Marketers"
        ),
    }


def options(page: str, name: str) -> dict[str, str]:
    """{value: label} of the <select name=`name`> in `page`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={name}>"
    return {
        value: label.strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])
    }


def picker_pages(ticket) -> list[tuple[str, str]]:
    """(URL, field name) of every user picker an agent meets."""
    return [
        (urls.add(), "assigned_to"),
        (urls.edit(ticket), "assigned_to"),
        (bulk_action_url("ticket", "assign", [ticket.pk]), "assignee"),
        (urls.listing(), "assignee"),
        (snippet_url("activity", "add"), "assigned_to"),
        (snippet_url("expense", "add"), "spent_by"),
        (snippet_url("timesheet", "add"), "user"),
        (snippet_url("timesheet", "list"), "user"),
        (snippet_url("activity", "list"), "assignee"),
    ]


def test_every_picker_offers_staff_by_name_and_no_marketer(agent_client, people):
    ticket = TicketFactory()
    for url, name in picker_pages(ticket):
        page = agent_client.get(url).content.decode()
        offered = options(page, name)
        labels = set(offered.values())
        assert "Camille Dupont" in labels, url
        assert "jdoe" in labels, url  # no name given: the username stands in
        assert "cdupont" not in labels, url
        assert str(people["marketer"].pk) not in offered, url
        assert "Maxime Martel" not in page, url


def test_a_marketer_cannot_be_posted_as_spender(agent_client, people):
    response = agent_client.post(
        snippet_url("expense", "add"),
        {"date": "2026-11-29", "amount": "3", "currency": "EUR", "description": "Taxi",
         "spent_by": people["marketer"].pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Expense.objects.exists()


def test_a_record_keeps_a_person_who_left_the_team(client, manager, people):
    former = UserFactory(username="gone", first_name="Léa", last_name="Roux", is_active=False)
    expense = ExpenseFactory(description="Hotel", amount=80, spent_by=former)
    client.force_login(manager)
    edit = snippet_url("expense", "edit", expense.pk)
    assert "Léa Roux" in options(client.get(edit).content.decode(), "spent_by").values()
    response = client.post(
        edit,
        {"date": "2026-11-29", "amount": "90", "currency": "EUR", "description": "Hotel",
         "spent_by": former.pk, "loaded_version": expense.version},
    )  # fmt: skip
    assert response.status_code == 302
    expense.refresh_from_db()
    assert (expense.amount, expense.spent_by) == (90, former)


@pytest.mark.parametrize(
    ("model_name", "make"),
    [
        (
            "expense",
            lambda who: ExpenseFactory(description="Taxi", amount=12, spent_by=who),
        ),
        ("timesheet", lambda who: TimesheetFactory(user=who)),
        ("activity", lambda who: ActivityFactory(subject="Call back", assigned_to=who)),
    ],
)
def test_record_listings_show_people_by_name(client, manager, people, model_name, make):
    make(people["colleague"])
    make(people["nameless"])
    client.force_login(manager)
    page = client.get(snippet_url(model_name, "list")).content.decode()
    assert "Camille Dupont" in page
    assert "cdupont" not in page
    assert "jdoe" in page  # no name given: the username stands in
