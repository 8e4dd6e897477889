"""The ticket's one timeline, in Chromium: a field change, a status change and a link, in order."""

import re

import pytest
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.e2e.helpers import settle
from tests.factories import TicketFactory
from ticketing.records.models import Quote
from ticketing.tickets.models import Ticket

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def inspect_url(ticket: Ticket) -> str:
    return urls.inspect(ticket)


def timeline_rows(page):
    return page.get_by_test_id("timeline-entries").locator(":scope > li")


def show_only(page, label: str) -> None:
    page.get_by_test_id("timeline-filters").get_by_role("link", name=label, exact=True).click()
    settle(page)


def test_the_ticket_page_tells_its_story_on_one_timeline(agent_page, e2e_agent, screenshot):
    page = agent_page
    ticket = TicketFactory(title="Scanner drops pages", assigned_to=e2e_agent)
    quote = Quote.objects.create(subject="Feeder rollers")

    # A field change, through the edit form.
    page.goto(urls.edit(ticket))
    settle(page)
    page.locator("#id_priority").select_option(label="Urgent")
    page.locator("footer").get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(re.escape(inspect_url(ticket)) + r"(\?.*)?$"))
    settle(page)

    # A status change, from the ticket's header.
    page.goto(inspect_url(ticket))
    page.locator("header").get_by_role("link", name="Start", exact=True).click()
    page.get_by_label("Comment").fill("Ordering new rollers.")
    page.locator("main form").get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(re.escape(inspect_url(ticket)) + r"$"))
    settle(page)

    # A record linked, with Wagtail's chooser.
    quotes = page.get_by_test_id("related-lists").locator('section[data-related-list="quotes"]')
    quotes.get_by_role("link", name="Link existing").click()
    settle(page)
    page.get_by_role("button", name="Choose a quote").click()
    page.locator(".modal[role=dialog] table").get_by_role("link", name=str(quote)).click()
    expect(page.locator('input[name="record"]')).to_have_value(str(quote.pk))
    page.locator("main form").get_by_role("button", name="Link", exact=True).click()
    page.wait_for_url(re.compile(re.escape(inspect_url(ticket)) + r"$"))
    settle(page)

    # One timeline, newest first, each change once, with who made it.
    expect(page.get_by_role("link", name="Field history")).to_have_count(0)
    expect(page.get_by_role("heading", name="Status timeline")).to_have_count(0)
    rows = timeline_rows(page)
    linked = rows.filter(has_text="Linked")
    started = rows.filter(has_text="Status change")
    changed = rows.filter(has_text="Field change")
    for row in (linked, started, changed):
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Alice Agent")
    expect(linked).to_contain_text(f"linked: {quote}")
    expect(started).to_contain_text("Open → In progress")
    expect(started).to_contain_text("Ordering new rollers.")
    expect(changed).to_contain_text("Normal → Urgent")
    expect(rows.filter(has_text="Normal → Urgent")).to_have_count(1)
    expect(rows.filter(has_text="Open → In progress")).to_have_count(1)
    kinds = [row.get_attribute("data-kind") for row in rows.all()]
    assert [kind for kind in kinds if kind in ("link", "status", "fields")] == [
        "link",
        "status",
        "fields",
    ]
    page.get_by_test_id("timeline").scroll_into_view_if_needed()
    screenshot("timeline")

    # Filtered by kind, on the server: the address says which.
    show_only(page, "Status")
    expect(page).to_have_url(re.compile(r"\?kind=status#timeline$"))
    expect(timeline_rows(page)).to_have_count(1)
    expect(timeline_rows(page)).to_contain_text("Open → In progress")
    screenshot("timeline-status-only")
    show_only(page, "Fields")
    expect(timeline_rows(page)).to_have_count(1)
    expect(timeline_rows(page)).to_contain_text("Normal → Urgent")
    show_only(page, "Links")
    expect(timeline_rows(page)).to_have_count(1)
    expect(timeline_rows(page)).to_contain_text(f"linked: {quote}")
    show_only(page, "All")
    expect(timeline_rows(page)).to_have_count(len(kinds))
