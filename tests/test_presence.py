"""Collision (issue 10): the ticket page says who else has it open, or is typing a reply."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests import admin_urls as urls
from tests.factories import TicketFactory, TicketPresenceFactory, UserFactory
from ticketing.presence.models import TicketPresence

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(
        username="colleague", first_name="Claire", last_name="Martin", role="Support agents"
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def others(client, ticket, **data) -> list[dict]:
    response = client.post(urls.presence(ticket), {"typing": "0", **data})
    assert response.status_code == 200
    return response.json()["others"]


def test_a_colleague_with_the_ticket_open_is_shown_on_the_page(agent, colleague):
    ticket = TicketFactory()
    logged_in(colleague).get(urls.inspect(ticket))
    html = logged_in(agent).get(urls.inspect(ticket)).content.decode()
    assert "Claire Martin has this ticket open (since" in html
    assert "data-guichet-presence" in html
    # The refresh is a static file: the CSP runs no inline script.
    assert re.search(r'<script src="[^"]*presence/ticket_presence\.js"', html)


def test_alone_on_the_ticket_nothing_is_said(agent):
    ticket = TicketFactory()
    client = logged_in(agent)
    client.get(urls.inspect(ticket))
    html = client.get(urls.inspect(ticket)).content.decode()
    assert "has this ticket open" not in html
    assert others(client, ticket) == []


def test_the_poll_says_who_is_typing_and_since_when(agent, colleague):
    ticket = TicketFactory()
    agent_client, colleague_client = logged_in(agent), logged_in(colleague)
    agent_client.get(urls.inspect(ticket))
    others(colleague_client, ticket, typing="1")
    (claire,) = others(agent_client, ticket)
    assert claire["typing"] is True
    assert claire["name"] == "Claire Martin"
    assert claire["text"].startswith("Claire Martin is typing a reply")
    assert datetime.datetime.fromisoformat(claire["since"]) <= timezone.now()
    # Typing stops: the next poll says so.
    others(colleague_client, ticket, typing="0")
    (claire,) = others(agent_client, ticket)
    assert claire["typing"] is False


def test_a_presence_expires_after_a_minute_without_news(agent, colleague):
    ticket = TicketFactory()
    old = timezone.now() - datetime.timedelta(seconds=61)
    TicketPresenceFactory(ticket=ticket, user=colleague, since=old, last_seen=old)
    assert others(logged_in(agent), ticket) == []
    assert not TicketPresence.objects.filter(user=colleague).exists()  # forgotten


def test_an_expired_presence_is_not_shown_on_the_page(agent, colleague):
    ticket = TicketFactory()
    old = timezone.now() - datetime.timedelta(seconds=61)
    TicketPresenceFactory(ticket=ticket, user=colleague, since=old, last_seen=old)
    html = logged_in(agent).get(urls.inspect(ticket)).content.decode()
    assert "has this ticket open" not in html


def test_coming_back_after_expiry_starts_a_new_since(agent, colleague):
    ticket = TicketFactory()
    old = timezone.now() - datetime.timedelta(minutes=10)
    TicketPresenceFactory(ticket=ticket, user=colleague, since=old, last_seen=old)
    others(logged_in(colleague), ticket)
    presence = TicketPresence.objects.get(user=colleague)
    assert presence.since > old + datetime.timedelta(minutes=9)


def test_leaving_the_page_removes_the_presence(agent, colleague):
    ticket = TicketFactory()
    colleague_client = logged_in(colleague)
    colleague_client.get(urls.inspect(ticket))
    others(colleague_client, ticket, leave="1")
    assert others(logged_in(agent), ticket) == []


def test_a_ticket_the_user_cannot_see_tells_them_nobody(marketer, colleague):
    ticket = TicketFactory()
    logged_in(colleague).get(urls.inspect(ticket))
    client = logged_in(marketer)
    assert client.post(urls.presence(ticket), {"typing": "0"}).status_code == 404
    assert not TicketPresence.objects.filter(user=marketer).exists()


def test_the_presence_endpoint_takes_posts_with_csrf_only(agent):
    ticket = TicketFactory()
    assert logged_in(agent).get(urls.presence(ticket)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert strict.post(urls.presence(ticket), {"typing": "1"}).status_code == 403


def test_a_french_agent_reads_it_in_french(agent, colleague):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(agent)
    profile.preferred_language = "fr"
    profile.save()
    ticket = TicketFactory()
    logged_in(colleague).get(urls.inspect(ticket))
    html = logged_in(agent).get(urls.inspect(ticket)).content.decode()
    assert "Claire Martin a ce ticket ouvert (depuis" in html
