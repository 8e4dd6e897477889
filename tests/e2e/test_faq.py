"""Convert to FAQ (S14), in Chromium: a closed ticket becomes a public answer a visitor finds.

A support manager closes a ticket and publishes its solution in the FAQ; an anonymous visitor,
in a browser context of their own (no admin cookie), finds it from the site's home page through
the FAQ search. An agent may only submit an answer for moderation: the visitor finds nothing.
"""

import json
import re
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from playwright.sync_api import expect

from faq.models import FAQPage
from tests import admin_urls as urls
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import abort_request, log_in, save_screenshot, settle
from tests.factories import TicketFactory, UserFactory
from ticketing.knowledge.services import convert_ticket_to_faq
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import apply_transition

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Printer prints blank pages"
SOLUTION = "Replace the toner cartridge and print a test page."
QUESTION = "Why does my printer print blank pages?"
EXTERNAL = re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])")
PHONE = {"width": 390, "height": 844}
# The answer is edited in Wagtail's rich text editor (Draftail), as in the FAQ page editor.
ANSWER_EDITOR = 'main form .Draftail-Editor [contenteditable="true"]'


def messages(page):
    return page.locator(".messages")


def header_link(page, name: str):
    return page.locator("header").get_by_role("link", name=name, exact=True)


def back_on(page, ticket: Ticket) -> None:
    """Wait until the browser is on the ticket's inspect page and has stopped loading."""
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    settle(page)


@pytest.fixture
def visitor(browser, live_server, request) -> Iterator:
    """An anonymous visitor: a browser context of its own, without the admin's session."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 1200},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.route(EXTERNAL, abort_request)
    visitor = context.new_page()
    yield visitor
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        path = save_screenshot(visitor, request.node.name, "FAILED-visitor")
        path.with_suffix(".html").write_text(visitor.content(), encoding="utf-8")
    context.close()


@pytest.fixture
def shoot(request) -> Callable[..., Path]:
    """shoot(page, "step"): one numbered series of screenshots for every page of the test."""
    numbers = count(1)

    def take(page, step: str) -> Path:
        return save_screenshot(page, request.node.name, f"{next(numbers):02d}-{step}")

    return take


@pytest.fixture
def e2e_manager(transactional_db):
    return UserFactory(
        username="manager", first_name="Maud", last_name="Manager", role="Support managers"
    )


def search_faq(visitor, words: str) -> None:
    """From the site's home page to the FAQ index, then search it for `words`."""
    visitor.goto("/")
    visitor.get_by_role("link", name="Frequently asked questions").click()
    visitor.wait_for_url(re.compile(r"/faq/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Frequently asked questions")
    form = visitor.locator('form[role="search"]')
    form.locator('input[name="q"]').fill(words)
    form.get_by_role("button", name="Search").click()
    visitor.wait_for_url(re.compile(r"/faq/\?q=" + re.escape(words) + "$"))


def test_manager_publishes_a_closed_ticket_and_a_visitor_finds_it(
    page, visitor, e2e_manager, shoot
):
    ticket = TicketFactory(title=TITLE, solution=SOLUTION)
    ticket = apply_transition(ticket, "start", e2e_manager)
    assert ticket.number == "TT-000001"
    log_in(page, e2e_manager.username)

    # The ticket is in progress, its solution typed: no FAQ yet, only a close.
    page.goto(urls.inspect(ticket))
    settle(page)
    expect(header_link(page, "Convert to FAQ")).to_have_count(0)
    shoot(page, "in-progress")

    header_link(page, "Close").click()
    page.wait_for_url(re.compile(r"/transition/\d+/close/"))
    expect(page.locator("main")).to_contain_text("currently “In progress”")
    shoot(page, "close-confirmation")
    page.locator("main form").get_by_role("button", name="Close", exact=True).click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text("is now “Closed”")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    shoot(page, "closed")

    # Convert to FAQ: question from the title, answer from the solution.
    header_link(page, "Convert to FAQ").click()
    page.wait_for_url(re.compile(re.escape(urls.convert_to_faq(ticket)) + r"$"))
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convert to FAQ")
    expect(page.get_by_label("Question")).to_have_value(TITLE)
    expect(page.locator(ANSWER_EDITOR)).to_have_text(SOLUTION)
    expect(page.get_by_test_id("personal-data-warning")).to_have_count(0)
    shoot(page, "convert-prefilled")
    page.get_by_label("Question").fill(QUESTION)
    shoot(page, "convert-edited")
    page.locator("main form").get_by_role("button", name="Publish in the FAQ").click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"“{QUESTION}” is published in the FAQ.")
    expect(header_link(page, "Update FAQ answer")).to_be_visible()
    expect(header_link(page, "Convert to FAQ")).to_have_count(0)
    shoot(page, "published")
    faq_page = FAQPage.objects.get()
    assert faq_page.live
    assert faq_page.title == QUESTION
    ticket.refresh_from_db()
    assert ticket.faq_page_id == faq_page.pk

    # An anonymous visitor: home page → FAQ → search "blank" → the question → its answer.
    visitor.goto("/")
    shoot(visitor, "visitor-home")
    search_faq(visitor, "blank")
    expect(visitor.get_by_role("status")).to_have_text("1 answer for “blank”")
    result = visitor.locator("main").get_by_role("link", name=QUESTION)
    expect(result).to_be_visible()
    shoot(visitor, "visitor-search-results")
    result.click()

    visitor.wait_for_url(re.compile(re.escape(faq_page.url) + r"$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(visitor.locator("article")).to_contain_text(SOLUTION)
    expect(visitor).to_have_title(f"{QUESTION} · Guichet")
    shoot(visitor, "visitor-faq-page")

    html = visitor.content()
    assert "TT-" not in html, "the public page shows a ticket number"
    assert ticket.number not in html
    scripts = visitor.locator('script[type="application/ld+json"]')
    expect(scripts).to_have_count(1)
    data = json.loads(scripts.text_content())
    assert data["@type"] == "FAQPage"
    [entity] = data["mainEntity"]
    assert entity["name"] == QUESTION
    assert entity["acceptedAnswer"]["text"] == SOLUTION

    # On a phone the page reads without sideways scrolling.
    visitor.set_viewport_size(PHONE)
    shoot(visitor, "visitor-faq-page-phone")
    scroll_width = visitor.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"the page scrolls sideways: {scroll_width}px"
    size = visitor.locator("article p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 16, f"the answer's text is too small: {size}"


def test_agent_submits_for_moderation_and_the_visitor_finds_nothing(
    agent_page, e2e_agent, visitor, shoot
):
    page = agent_page
    ticket = TicketFactory(title=TITLE, solution=SOLUTION, assigned_to=e2e_agent)
    ticket = apply_transition(ticket, "close", e2e_agent)

    page.goto(urls.inspect(ticket))
    settle(page)
    header_link(page, "Convert to FAQ").click()
    page.wait_for_url(re.compile(re.escape(urls.convert_to_faq(ticket)) + r"$"))
    settle(page)
    expect(page.get_by_label("Question")).to_have_value(TITLE)
    page.get_by_label("Question").fill(QUESTION)
    shoot(page, "convert-edited")
    # The form's only submit button (whatever it reads: the agent cannot publish).
    page.locator('main form button[type="submit"]').click()

    back_on(page, ticket)
    expect(messages(page)).to_contain_text(
        f"“{QUESTION}” is submitted for moderation before it is published."
    )
    shoot(page, "submitted")
    faq_page = FAQPage.objects.get()
    assert not faq_page.live
    assert faq_page.workflow_in_progress
    ticket.refresh_from_db()
    assert ticket.faq_page_id == faq_page.pk

    # The visitor finds nothing: not in the search, not at the page's address.
    search_faq(visitor, "blank")
    expect(visitor.get_by_role("status")).to_have_text("0 answers for “blank”")
    expect(visitor.locator("main").get_by_role("link", name=QUESTION)).to_have_count(0)
    shoot(visitor, "visitor-finds-nothing")
    response = visitor.goto(f"/faq/{faq_page.slug}/")
    assert response.status == 404
    expect(visitor.locator("body")).not_to_contain_text(SOLUTION)


def test_agent_updates_an_answer_still_in_moderation(agent_page, e2e_agent, shoot):
    page = agent_page
    ticket = TicketFactory(title=TITLE, solution=SOLUTION, assigned_to=e2e_agent)
    ticket = apply_transition(ticket, "close", e2e_agent)

    page.goto(urls.convert_to_faq(ticket))
    settle(page)
    page.get_by_label("Question").fill(QUESTION)
    page.locator('main form button[type="submit"]').click()
    back_on(page, ticket)
    expect(messages(page)).to_contain_text("submitted for moderation")

    # A second thought before a moderator has looked: the agent updates the answer.
    header_link(page, "Update FAQ answer").click()
    page.wait_for_url(re.compile(re.escape(urls.convert_to_faq(ticket)) + r"$"))
    settle(page)
    expect(page.get_by_label("Question")).to_have_value(QUESTION)
    editor = page.locator(ANSWER_EDITOR)
    expect(editor).to_have_text(SOLUTION)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Then clean the print head.")
    # Draftail writes its hidden input on a short interval: submit once it holds the text.
    expect(page.locator('main form input[name="answer"]')).to_have_value(
        re.compile("Then clean the print head.")
    )
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator('main form button[type="submit"]').click()
    assert posted.value.status == 302, f"the update answered {posted.value.status}"

    back_on(page, ticket)
    expect(messages(page)).to_contain_text("submitted for moderation")
    shoot(page, "resubmitted")
    faq_page = FAQPage.objects.get()
    assert faq_page.workflow_in_progress
    assert "clean the print head" in faq_page.get_latest_revision_as_object().answer


def test_update_keeps_the_formatting_a_marketer_gave_the_answer(page, e2e_manager, shoot):
    ticket = TicketFactory(title=TITLE, solution=SOLUTION)
    ticket = apply_transition(ticket, "close", e2e_manager)
    faq_page = convert_ticket_to_faq(ticket, e2e_manager, QUESTION, SOLUTION, None)[0]
    faq_page.answer = (
        "<p>Replace the <b>toner</b> cartridge.</p><ul><li>Print a test page.</li></ul>"
    )
    faq_page.save_revision(user=e2e_manager).publish(user=e2e_manager)
    log_in(page, e2e_manager.username)

    page.goto(urls.inspect(ticket))
    settle(page)
    header_link(page, "Update FAQ answer").click()
    page.wait_for_url(re.compile(re.escape(urls.convert_to_faq(ticket)) + r"$"))
    settle(page)
    shoot(page, "update-form")
    expect(page.get_by_label("Question")).to_have_value(QUESTION)
    editor = page.locator(ANSWER_EDITOR)
    expect(editor).to_contain_text("Replace the toner cartridge.")
    expect(editor.locator("li")).to_have_text("Print a test page.")
    page.get_by_label("Question").fill(f"{QUESTION} (updated)")
    page.locator("main form").get_by_role("button", name="Publish in the FAQ").click()

    back_on(page, ticket)
    answer = FAQPage.objects.get().answer
    assert "<b>toner</b>" in answer
    assert re.search(r"<ul><li[^>]*>Print a test page.</li></ul>", answer)
