"""In Chromium: an agent sees a colleague's presence and typing on a ticket without reloading,
and an agent told of an assignment opens the ticket from the notification."""

import re

import pytest
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.e2e.helpers import log_in
from tests.factories import TicketFactory, UserFactory
from ticketing.tickets.services.tickets import assign_ticket

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def e2e_colleague(transactional_db):
    return UserFactory(
        username="colleague", first_name="Claire", last_name="Martin", role="Support agents"
    )


@pytest.fixture
def colleague_page(browser, live_server, e2e_colleague):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1200}
    )
    page = context.new_page()
    log_in(page, e2e_colleague.username)
    yield page
    context.close()


def test_a_second_agent_sees_the_first_ones_presence_and_typing(
    agent_page, colleague_page, settings
):
    settings.GUICHET_PRESENCE_POLL_SECONDS = 1
    ticket = TicketFactory(title="Printer on fire")
    agent_page.goto(urls.inspect(ticket))
    presence = agent_page.locator("[data-guichet-presence]")
    expect(presence).to_be_hidden()

    colleague_page.goto(urls.inspect(ticket))
    # No reload: the agent's page hears of Claire at its next poll.
    expect(presence).to_contain_text("Claire Martin has this ticket open (since")

    # Claire types in the reply composer at the end of the conversation.
    colleague_page.get_by_test_id("composer-reply").locator("#id_body").type("Hello")
    expect(presence).to_contain_text("Claire Martin is typing a reply")

    # Claire leaves: she is gone from the agent's page.
    colleague_page.goto(urls.notifications())
    expect(presence).to_be_hidden()


def test_the_assigned_agent_opens_the_ticket_from_the_notification(
    colleague_page, e2e_agent, e2e_colleague
):
    ticket = TicketFactory(title="Toner empty")
    assign_ticket(ticket, e2e_colleague, by=e2e_agent)
    colleague_page.goto(urls.listing())
    colleague_page.get_by_role("link", name="Notifications (1)").click()
    entry = colleague_page.get_by_role("link", name=re.compile("assigned ticket .* to you"))
    expect(entry).to_contain_text("Toner empty")
    entry.click()
    expect(colleague_page).to_have_url(re.compile(re.escape(urls.inspect(ticket)) + "$"))
    colleague_page.goto(urls.listing())
    expect(colleague_page.get_by_role("link", name="Notifications (1)")).to_have_count(0)
