"""Saved views: an agent saves the listing's filters and search under a name, for themselves
or the team, and picks one above the listing; only known filters are kept, names escaped."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import admin_urls as urls
from tests.factories import SavedViewFactory, TicketFactory, UserFactory
from ticketing.desk.models import SavedView

pytestmark = pytest.mark.django_db

SAVE = "desk:save_view"


def save(client, name: str, query: str, shared: bool = False):
    data = {"name": name, "query": query, **({"shared": "on"} if shared else {})}
    return client.post(reverse(SAVE), data)


def saved_views_block(html: str) -> str:
    match = re.search(r"<section[^>]*data-saved-views.*?</section>", html, re.S)
    assert match, "no saved views above the listing"
    return match.group(0)


def picks(client) -> dict[str, str]:
    """The saved views offered above the listing: {name: URL}."""
    block = saved_views_block(client.get(urls.listing()).content.decode())
    links = re.findall(
        r'<li[^>]*data-saved-view="\d+">\s*<a href="([^"]+)"[^>]*>([^<]*)</a>', block
    )
    return {unescape(name): unescape(url) for url, name in links}


def test_the_listing_offers_to_save_its_current_filters_and_search(agent_client):
    page = agent_client.get(urls.listing() + "?status=waiting&q=printer&p=2").content.decode()
    form = saved_views_block(page)
    assert 'action="' + reverse(SAVE) + '"' in form
    value = re.search(r'name="query" value="([^"]*)"', form).group(1)
    assert unescape(value) == "q=printer&status=waiting"  # the page number is not a filter


def test_the_filters_refreshed_without_reloading_carry_the_new_query(agent_client):
    results = agent_client.get(urls.ticket_url("list_results") + "?priority=urgent")
    form = saved_views_block(results.content.decode())
    assert 'value="priority=urgent"' in form


def test_agent_saves_a_view_and_picks_it(agent_client, agent):
    TicketFactory(title="Urgent one", priority="urgent")
    TicketFactory(title="Calm one", priority="low")
    response = save(agent_client, "My urgent", "priority=urgent&ordering=-updated_at")
    assert response.status_code == 302
    assert response.url == urls.listing() + "?ordering=-updated_at&priority=urgent"
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.shared) == (agent, "My urgent", False)
    url = picks(agent_client)["My urgent"]
    listing = agent_client.get(url).content.decode()
    table = listing[listing.index('<table class="listing"') :]
    assert "Urgent one" in table
    assert "Calm one" not in table
    # The picked view is marked as the current one.
    assert 'aria-current="true">My urgent</a>' in saved_views_block(listing)


def test_personal_views_are_their_owners_shared_ones_the_teams(client, agent):
    colleague = UserFactory(username="colleague", role="Support agents")
    SavedViewFactory(owner=agent, name="Mine only")
    SavedViewFactory(owner=agent, name="For everyone", shared=True)
    SavedViewFactory(owner=colleague, name="Colleague private")
    client.force_login(colleague)
    assert set(picks(client)) == {"For everyone", "Colleague private"}
    client.force_login(agent)
    assert set(picks(client)) == {"Mine only", "For everyone"}


def test_only_the_owner_deletes_a_view(client, agent):
    colleague = UserFactory(username="colleague", role="Support agents")
    shared = SavedViewFactory(owner=agent, name="Shared", shared=True)
    client.force_login(colleague)
    assert client.post(reverse("desk:delete_view", args=[shared.pk])).status_code == 404
    assert "Delete the view" not in saved_views_block(client.get(urls.listing()).content.decode())
    client.force_login(agent)
    assert client.post(reverse("desk:delete_view", args=[shared.pk])).status_code == 302
    assert not SavedView.objects.exists()


def test_unknown_keys_are_dropped_from_the_stored_query(agent_client):
    hostile = "status=open&p=9&export=csv&next=https://evil.example&<script>=1&q=a%22b"
    save(agent_client, "Cleaned", hostile)
    assert SavedView.objects.get().query == "q=a%22b&status=open"


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "assignee=999999", "category=abc", "updated=forever", "q=" + "x" * 300],
)
def test_a_query_the_filters_refuse_is_not_saved(agent_client, query):
    response = save(agent_client, "Bad", query)
    assert response.status_code == 302
    assert not SavedView.objects.exists()
    page = agent_client.get(response.url).content.decode()
    assert "The view was not saved" in page


def test_a_view_name_is_escaped_everywhere(agent_client):
    save(agent_client, '<img src=x onerror="alert(1)">', "status=open")
    page = agent_client.get(urls.listing()).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in saved_views_block(page)


def test_a_blank_name_is_refused(agent_client):
    save(agent_client, "   ", "status=open")
    assert not SavedView.objects.exists()


def test_who_cannot_see_tickets_cannot_save_views(client, marketer):
    client.force_login(marketer)
    # Wagtail's admin answers a refusal by sending the user to the dashboard with a message.
    response = save(client, "Sneaky", "status=open")
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not SavedView.objects.exists()


def test_saved_views_cost_one_query_whatever_their_number(agent_client, agent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            agent_client.get(urls.listing())
        return len(queries)

    SavedViewFactory(owner=agent)
    count()
    few = count()
    SavedViewFactory.create_batch(20, owner=agent, shared=True)
    assert count() == few
