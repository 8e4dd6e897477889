"""The ticket's related lists, in Chromium: create an activity, link a quote, upload a document."""

import re

import pytest
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.e2e.helpers import settle
from tests.factories import QuoteFactory, TicketFactory
from ticketing.records.choices import ActivityStatus
from ticketing.records.documents import ticket_documents
from ticketing.records.models import Activity
from ticketing.tickets.models import Ticket

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACTIVITY = "Call the customer back"
QUOTE = "Replacement toner"
DOCUMENT = "Invoice 42 (scan)"
CONTENT = b"Invoice 42"


def back_on(page, ticket: Ticket) -> None:
    """Wait until the browser is on the ticket's inspect page and has stopped loading."""
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    settle(page)


def related_list(page, key: str):
    """The <section> of one related list (activities, documents, quotes…) on the inspect page."""
    return page.get_by_test_id("related-lists").locator(f'section[data-related-list="{key}"]')


def heading(section):
    return section.get_by_role("heading", level=3)


def rows(section):
    return section.locator("li")


def chosen_title(page, field: str):
    """What a Wagtail chooser widget shows as chosen for the form field `field`."""
    return page.locator(f"#id_{field}-chooser [data-chooser-title]")


def messages(page):
    return page.locator(".messages")


def test_agent_creates_an_activity_from_the_ticket_and_marks_it_done(agent_page, screenshot):
    page = agent_page
    ticket = TicketFactory(title="Printer jams on every page")

    page.goto(urls.inspect(ticket))
    settle(page)
    activities = related_list(page, "activities")
    expect(heading(activities)).to_contain_text("(0)")
    activities.scroll_into_view_if_needed()
    screenshot("inspect-no-activity")

    # "Create" opens the Activity add form with the ticket already chosen.
    activities.get_by_role("link", name="Create", exact=True).click()
    page.wait_for_url(re.compile(re.escape(snippet_url("activity", "add")) + r"\?"))
    settle(page)
    expect(page.locator('input[name="ticket"]')).to_have_value(str(ticket.pk))
    expect(chosen_title(page, "ticket")).to_have_text(str(ticket))
    page.locator("#id_subject").fill(ACTIVITY)
    screenshot("activity-form-filled")
    page.locator("footer").get_by_role("button", name="Save").click()

    back_on(page, ticket)
    activities = related_list(page, "activities")
    expect(heading(activities)).to_contain_text("(1)")
    expect(rows(activities)).to_have_count(1)
    expect(rows(activities).first.get_by_role("link", name=ACTIVITY)).to_be_visible()
    activity = Activity.objects.get(subject=ACTIVITY)
    assert activity.ticket_id == ticket.pk
    assert activity.status == ActivityStatus.OPEN
    activities.scroll_into_view_if_needed()
    screenshot("activity-listed")

    # "Mark as done" asks first, then moves the activity to the history.
    activities.get_by_role("link", name="Mark as done").click()
    page.wait_for_url(re.compile(rf"/close-activity/{ticket.pk}/{activity.pk}/$"))
    expect(page.locator("main")).to_contain_text(f"Mark “{ACTIVITY}” as done?")
    screenshot("mark-as-done-confirmation")
    page.locator("main form").get_by_role("button", name="Mark as done").click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"“{ACTIVITY}” is done.")
    activities = related_list(page, "activities")
    history = related_list(page, "activity_history")
    expect(heading(activities)).to_contain_text("(0)")
    expect(rows(activities)).to_have_count(0)
    expect(heading(history)).to_have_text("Activity history (1)")
    expect(rows(history).get_by_role("link", name=ACTIVITY)).to_be_visible()
    expect(history.get_by_role("link", name="Mark as done")).to_have_count(0)
    history.scroll_into_view_if_needed()
    screenshot("activity-in-history")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CLOSED


def test_agent_links_an_existing_quote_with_the_chooser(agent_page, e2e_agent, screenshot):
    page = agent_page
    ticket = TicketFactory(title="Toner runs out every week")
    quote = QuoteFactory(subject=QUOTE)
    assert quote.number == "QT-000001"

    page.goto(urls.inspect(ticket))
    settle(page)
    quotes = related_list(page, "quotes")
    expect(heading(quotes)).to_contain_text("(0)")
    quotes.get_by_role("link", name="Link existing").click()
    page.wait_for_url(re.compile(rf"/link/{ticket.pk}/quotes/$"))
    settle(page)
    screenshot("link-page")

    # Wagtail's snippet chooser: a modal lists the quotes; clicking one fills the field.
    page.get_by_role("button", name="Choose a quote").click()
    modal = page.locator(".modal[role=dialog]")
    choice = modal.locator("table").get_by_role("link", name=str(quote))
    expect(choice).to_be_visible()
    screenshot("chooser-modal")
    choice.click()
    expect(modal).to_be_hidden()
    expect(page.locator(".modal-backdrop")).to_have_count(0)  # faded out: the form is usable
    expect(page.locator('input[name="record"]')).to_have_value(str(quote.pk))
    expect(chosen_title(page, "record")).to_have_text(str(quote))
    screenshot("quote-chosen")
    page.locator("main form").get_by_role("button", name="Link", exact=True).click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"“{quote}” is now linked to the ticket.")
    quotes = related_list(page, "quotes")
    expect(heading(quotes)).to_contain_text("(1)")
    row = rows(quotes).filter(has_text="QT-000001 Replacement toner")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="QT-000001 Replacement toner")).to_be_visible()
    expect(row.get_by_role("link", name="Unlink")).to_be_visible()
    quotes.scroll_into_view_if_needed()
    screenshot("quote-linked")
    assert list(ticket.quotes.all()) == [quote]

    # The link is a change of the ticket: its timeline shows it, with who made it.
    timeline = page.get_by_test_id("timeline-entries")
    quotes_label = "xpath=.//dt[normalize-space()='Quotes']"
    linked = timeline.locator('li[data-kind="link"]').filter(has=page.locator(quotes_label))
    expect(linked).to_have_count(1)
    quotes_change = linked.locator(f"{quotes_label}/following-sibling::dd[1]")
    expect(quotes_change).to_contain_text("QT-000001 Replacement toner")
    expect(linked.get_by_test_id("timeline-author")).to_have_text(e2e_agent.get_full_name())
    timeline.scroll_into_view_if_needed()
    screenshot("timeline")


def test_agent_uploads_a_private_document(agent_page, browser, live_server, screenshot):
    page = agent_page
    ticket = TicketFactory(title="Invoice disputed")

    page.goto(urls.inspect(ticket))
    settle(page)
    documents = related_list(page, "documents")
    expect(heading(documents)).to_contain_text("(0)")
    documents.get_by_role("link", name="Create", exact=True).click()
    page.wait_for_url(re.compile(rf"/upload-document/{ticket.pk}/$"))
    settle(page)
    page.get_by_label("Title").fill(DOCUMENT)
    page.get_by_label("File").set_input_files(
        {"name": "invoice.txt", "mimeType": "text/plain", "buffer": CONTENT}
    )
    screenshot("upload-form-filled")
    page.locator("main form").get_by_role("button", name="Upload").click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"“{DOCUMENT}” is attached to the ticket.")
    documents = related_list(page, "documents")
    expect(heading(documents)).to_contain_text("(1)")
    link = rows(documents).get_by_role("link", name=DOCUMENT)
    expect(link).to_be_visible()
    documents.scroll_into_view_if_needed()
    screenshot("document-listed")
    document = ticket_documents(ticket).get()
    assert document.title == DOCUMENT
    assert document.collection.name == "Ticket attachments"

    # The agent downloads it: the page's request context shares the browser's cookies.
    href = link.get_attribute("href")
    assert href
    download = page.request.get(href)
    assert download.status == 200
    assert download.body() == CONTENT

    # Nobody logged in gets the file: the same URL sends them to the login page instead.
    stranger = browser.new_context(base_url=live_server.url)
    try:
        response = stranger.request.get(href, max_redirects=0)
        assert response.status in (302, 403, 404), response.status
        assert response.body() != CONTENT
        if response.status == 302:  # Wagtail's login for private collections, or the admin's
            assert re.search(r"/login/\?next=", response.headers["location"])
        followed = stranger.request.get(href)
        assert followed.body() != CONTENT
        assert CONTENT not in followed.body()
    finally:
        stranger.close()


def test_a_forgotten_title_keeps_the_chosen_file(agent_page, screenshot):
    page = agent_page
    ticket = TicketFactory(title="Invoice disputed")

    page.goto(urls.upload_document(ticket))
    settle(page)
    page.get_by_label("File").set_input_files(
        {"name": "invoice.txt", "mimeType": "text/plain", "buffer": CONTENT}
    )
    page.locator("main form").get_by_role("button", name="Upload").click()

    # Refused for the title only; the file is still there, and the form says so.
    page.wait_for_load_state("networkidle")
    title_field = page.locator(".w-field", has=page.locator("#id_title"))
    expect(title_field.locator(".error-message")).to_have_text("This field is required.")
    file_field = page.locator(".w-field", has=page.locator("#id_file"))
    expect(file_field).to_contain_text("“invoice.txt” is kept from your last try")
    screenshot("title-missing")
    assert not ticket_documents(ticket).exists()

    page.get_by_label("Title").fill(DOCUMENT)
    page.locator("main form").get_by_role("button", name="Upload").click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"“{DOCUMENT}” is attached to the ticket.")
    screenshot("attached")
    document = ticket_documents(ticket).get()
    assert document.title == DOCUMENT
    with document.file.open("rb") as stored:
        assert stored.read() == CONTENT
