"""The agent's home in Chromium: their queue, a count that opens the filtered listing, and a
saved view picked above the listing."""

import re

import pytest
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.e2e.helpers import settle
from tests.factories import EmailMessageFactory, TicketFactory
from ticketing.tickets.services.tickets import add_message

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def listing_titles(page) -> set[str]:
    return set(page.locator("table.listing tbody td:nth-child(3)").all_inner_texts())


def test_agent_home_queue_count_and_saved_view(agent_page, e2e_agent, screenshot):
    page = agent_page
    replied = TicketFactory(title="Customer wrote back", assigned_to=e2e_agent, priority="urgent")
    add_message(replied, EmailMessageFactory.build(), by=None, direction="inbound")
    TicketFactory(title="Quiet ticket", assigned_to=e2e_agent)
    TicketFactory(title="Nobody on it")

    page.goto("/admin/")
    settle(page)
    mine = page.locator("#my_open-section")
    expect(mine.get_by_role("link", name="2 tickets")).to_be_visible()
    expect(mine.get_by_role("link", name=re.compile("Customer wrote back"))).to_be_visible()
    expect(page.locator("#unassigned-section")).to_contain_text("Nobody on it")
    screenshot("home")

    # "Waiting on me" opens the listing of the tickets a customer answered.
    page.locator("#waiting_on_me-section").get_by_role("link", name="1 ticket").click()
    page.wait_for_url(re.compile(r"last_message=inbound"))
    settle(page)
    expect(page.locator("[data-unread-reply]")).to_have_count(1)
    assert {t.strip() for t in listing_titles(page)} == {"Customer wrote back"}

    # Saved as a view, shared with the team, then picked from the plain listing.
    saving = page.locator("form[data-save-view]")
    saving.get_by_label("Name of the view").fill("Replies waiting")
    saving.get_by_label("Shared with the team").check()
    saving.get_by_role("button", name="Save this view").click()
    settle(page)
    expect(page.locator(".messages")).to_contain_text("View “Replies waiting” saved.")
    page.goto(urls.listing())
    settle(page)
    assert {t.strip() for t in listing_titles(page)} >= {"Quiet ticket", "Nobody on it"}
    page.locator("[data-saved-views]").get_by_role("link", name="Replies waiting").click()
    page.wait_for_url(re.compile(r"last_message=inbound"))
    settle(page)
    assert {t.strip() for t in listing_titles(page)} == {"Customer wrote back"}
    screenshot("saved-view-picked")
