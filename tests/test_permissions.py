"""Who may open what: every ticket URL against every role (anonymous, marketer, agent, manager)."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests import admin_urls as urls
from tests.admin_urls import (
    bulk_action_url,
    chooser_url,
    guichet_app_labels,
    model_by_name,
    snippet_url,
)
from tests.factories import TicketFactory, UserFactory
from tests.timeline_rows import status_changes

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Customer secret 4711"

ROLES = {
    "marketer": "Marketers",
    "agent": "Support agents",
    "manager": "Support managers",
}


def ticket_urls(ticket) -> dict[str, str]:
    return {
        "listing": urls.listing(),
        "listing_results": urls.ticket_url("list_results"),
        "usage": urls.ticket_url("usage", ticket.pk),
        "history_results": urls.ticket_url("history_results", ticket.pk),
        "chooser_results": chooser_url("ticket", "choose_results"),
        "chosen": chooser_url("ticket", "chosen", ticket.pk),
        "search": urls.listing() + "?q=secret",
        "export_csv": urls.listing() + "?export=csv",
        "export_xlsx": urls.listing() + "?export=xlsx",
        "add": urls.add(),
        "edit": urls.edit(ticket),
        "inspect": urls.inspect(ticket),
        "history": urls.history(ticket),
        "transition": urls.transition(ticket, "start"),
        "delete": urls.delete(ticket),
        "chooser": chooser_url("ticket", "choose"),
        "bulk_assign": bulk_action_url("ticket", "assign", [ticket.pk]),
        "bulk_transition": bulk_action_url("ticket", "transition", [ticket.pk]),
        "categories": snippet_url("ticketcategory", "list"),
        "add_category": snippet_url("ticketcategory", "add"),
    }


# What each role may open; every other URL must refuse it.
AGENT_URLS = {
    "listing", "listing_results", "search", "export_csv", "export_xlsx", "add", "edit",
    "inspect", "usage", "history", "history_results", "transition",
    "chooser", "chooser_results", "chosen", "bulk_assign", "bulk_transition", "categories",
}  # fmt: skip
MANAGER_URLS = AGENT_URLS | {"delete", "add_category"}
ALLOWED = {"marketer": set(), "agent": AGENT_URLS, "manager": MANAGER_URLS}
URL_NAMES = sorted(MANAGER_URLS)


@pytest.fixture
def ticket():
    return TicketFactory(title=SECRET_TITLE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_role_url_matrix(client, ticket, role, name):
    user = UserFactory(username=role, role=ROLES[role])
    client.force_login(user)
    url = ticket_urls(ticket)[name]
    response = client.get(url)
    if name in ALLOWED[role]:
        assert response.status_code == 200, url
    else:
        # Wagtail's own refusal: back to the dashboard with "Sorry, you do not have permission".
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home")
        assert SECRET_TITLE.encode() not in response.content
        assert ticket.number.encode() not in response.content
        followed = client.get(response.url)
        assert b"do not have permission" in followed.content


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_is_sent_to_login(client, ticket, name):
    response = client.get(ticket_urls(ticket)[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert SECRET_TITLE.encode() not in response.content


def test_marketer_has_no_crm_menu(client, marketer):
    client.force_login(marketer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tickets" not in page
    assert 'data-w-menu-name-value="crm"' not in page
    assert "CRM" not in page


def test_agent_sees_the_crm_menu(agent_client):
    page = agent_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "CRM" in page
    assert "Tickets" in page


def test_marketer_posting_a_transition_changes_nothing(client, marketer, ticket):
    client.force_login(marketer)
    response = client.post(urls.transition(ticket, "start"), {"comment": "forged"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert not status_changes(ticket).exists()


def test_agent_cannot_delete_tickets(agent_client, ticket):
    response = agent_client.post(urls.delete(ticket))
    assert response.status_code == 302
    ticket.refresh_from_db()


def test_manager_deletes_after_confirmation(client, manager, ticket):
    client.force_login(manager)
    confirm = client.get(urls.delete(ticket))
    assert b"Are you sure" in confirm.content
    client.post(urls.delete(ticket))
    assert not type(ticket).objects.filter(pk=ticket.pk).exists()


@pytest.mark.parametrize("model", ["ticket", "ticketcategory", "account", "contact", "product"])
def test_marketer_is_refused_every_crm_chooser(client, marketer, ticket, model):
    client.force_login(marketer)
    response = client.get(chooser_url(model))
    assert response.status_code == 302
    assert SECRET_TITLE.encode() not in response.content


def test_site_history_report_hides_tickets_from_marketers(agent_client, marketer):
    agent_client.post(urls.add(), urls.form_data(title=SECRET_TITLE))
    marketer_client = Client()
    marketer_client.force_login(marketer)
    response = marketer_client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert SECRET_TITLE.encode() not in response.content


LABELS = guichet_app_labels()
TICKET_NAMESPACE = model_by_name("ticket").snippet_viewset.url_namespace


def pk_routes() -> list[str]:
    """Every admin route of a ticket, and every record chooser's, that takes an object id."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif namespace == TICKET_NAMESPACE or any(
                f"_{label}_" in namespace for label in LABELS
            ):
                yield prefix + str(pattern.pattern)

    # The records' own pages are Wagtail's, with an int converter: their choosers are not.
    return sorted(
        route
        for route in walk(get_resolver().url_patterns)
        if ":pk>" in route and ("/tickets/ticket/" in route or "/chosen/" in route)
    )


# Valid values for the other parts of a route, so that only the id is wrong.
OTHER_PARTS = {"transition": "start", "key": "documents", "record_pk": "1", "activity_pk": "1",
               "email_pk": "1"}  # fmt: skip


def route_with_id(route: str, bad_id: str) -> str:
    def fill(match):
        return bad_id if match["name"] == "pk" else OTHER_PARTS[match["name"]]

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, route)


def test_every_ticket_url_with_an_id_is_covered():
    routes = pk_routes()
    assert len([r for r in routes if "/tickets/ticket/" in r]) >= 16
    assert any("choose/tickets/ticket/chosen/" in r for r in routes)


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "%00"])
@pytest.mark.parametrize("route", pk_routes())
def test_a_non_numeric_id_is_not_found(client, superuser, ticket, route, bad_id):
    client.force_login(superuser)
    response = client.get(route_with_id(route, bad_id))
    assert response.status_code == 404
    assert SECRET_TITLE.encode() not in response.content


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "%00"])
def test_choosing_several_with_a_non_numeric_id_is_not_found(client, superuser, bad_id):
    client.force_login(superuser)
    url = chooser_url("ticket", "chosen_multiple")
    assert client.get(f"{url}?id={bad_id}").status_code == 404


@pytest.mark.parametrize("model_name", ["ticket", "contact", "service", "timesheet"])
def test_agent_listing_offers_no_bulk_delete(agent_client, model_name):
    TicketFactory()
    page = agent_client.get(snippet_url(model_name, "list")).content
    assert bulk_action_url(model_name, "delete").encode() not in page
    if model_name == "ticket":
        assert bulk_action_url("ticket", "assign").encode() in page


def test_manager_listing_offers_bulk_delete(client, manager, ticket):
    client.force_login(manager)
    page = client.get(urls.listing()).content
    assert bulk_action_url("ticket", "delete").encode() in page


def test_agent_is_not_offered_to_create_a_service(agent_client, ticket):
    add_service = snippet_url("service", "add")
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    services = page.split('data-related-list="services"')[1].split("</section>")[0]
    assert add_service not in services
    assert "Link existing" in services
    listing = agent_client.get(snippet_url("service", "list")).content.decode()
    assert add_service not in listing
    quotes = page.split('data-related-list="quotes"')[1].split("</section>")[0]
    assert snippet_url("quote", "add") in quotes


def test_manager_is_offered_to_create_a_service(client, manager, ticket):
    client.force_login(manager)
    page = client.get(urls.inspect(ticket)).content.decode()
    services = page.split('data-related-list="services"')[1].split("</section>")[0]
    assert snippet_url("service", "add") in services
