"""Wagtail's admin and the public FAQ work in Chromium under the Content Security Policy.

The policy (config/settings/base.py) applies in every environment, so every browser test runs
under it; this one walks the screens that use the most script (dashboard, listing, choosers,
rich text, date pickers, the page editor, the public FAQ) and fails on any violation the
browser reports.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.e2e.helpers import log_in, settle
from tests.factories import AccountFactory, TicketFactory, UserFactory
from ticketing.knowledge.services import convert_ticket_to_faq
from ticketing.records.models import Activity
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import apply_transition

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTING = urls.listing()
# Playwright's init scripts run outside the page's policy: this one only listens.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
        + `at ${event.sourceFile}:${event.lineNumber} on ${location.pathname}`
    );
});
"""


@pytest.fixture
def violations(page) -> list[str]:
    """Every CSP violation of the page: its event, and Chromium's console line about it."""
    seen: list[str] = []

    def report(violation: str) -> None:
        seen.append(violation)

    page.context.expose_function("reportViolation", report)
    page.context.add_init_script(LISTEN)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            seen.append(f"console: {message.text}")

    page.on("console", on_console)
    return seen


@pytest.fixture
def manager_page(page, violations):
    manager = UserFactory(
        username="manager", first_name="Maud", last_name="Manager", role="Support managers"
    )
    log_in(page, manager.username)
    return page, manager


def visit(page, url: str, violations: list[str]) -> None:
    response = page.goto(url)
    # The page ran under the policy (and not merely without a violation of no policy at all).
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    settle(page)
    assert violations == [], url


def test_admin_screens_work_under_the_policy(manager_page, violations):
    page, manager = manager_page
    AccountFactory(name="Acme Industries")
    ticket = TicketFactory(title="Scanner offline", assigned_to=manager)

    visit(page, reverse("wagtailadmin_home"), violations)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    visit(page, LISTING, violations)
    expect(page.locator("table.listing")).to_contain_text("Scanner offline")
    page.get_by_role("button", name="CRM").click()
    expect(page.get_by_role("list", name="CRM").get_by_role("link", name="Tickets")).to_be_visible()

    # Create: the account chooser opens its modal, searches, picks; the form submits.
    visit(page, urls.add(), violations)
    page.locator("#id_title").fill("Badge reader refuses every card")
    page.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-content")
    expect(modal).to_contain_text("Acme Industries")
    modal.get_by_role("link", name="Acme Industries").click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-chooser-title]").first).to_have_text("Acme Industries")
    settle(page)
    page.locator("footer").get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(re.escape(LISTING) + r"(\?.*)?$"))
    created = Ticket.objects.get(title="Badge reader refuses every card")
    assert created.account.name == "Acme Industries"
    settle(page)
    assert violations == []

    # Edit, then save.
    visit(page, urls.edit(ticket), violations)
    page.locator("#id_title").fill("Scanner offline since Monday")
    settle(page)
    page.locator("footer").get_by_role("button", name="Save").click()
    # Saved, the agent is back on the ticket's page (issue 10), not the listing.
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"(\?.*)?$"))
    ticket.refresh_from_db()
    assert ticket.title == "Scanner offline since Monday"

    visit(page, urls.inspect(ticket), violations)

    # A date and time picker (an activity's due time).
    visit(page, snippet_url("activity", "add"), violations)
    page.locator("#id_subject").fill("Call the customer back")
    page.locator("#id_due_at").click()
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_visible()
    page.locator("#id_due_at").fill("2026-12-24 10:30")
    page.keyboard.press("Escape")
    settle(page)
    page.locator("footer").get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(re.escape(snippet_url("activity", "list")) + r"(\?.*)?$"))
    assert Activity.objects.filter(subject="Call the customer back").exists()
    settle(page)
    assert violations == []


def faq_page(manager, question: str, answer: str):
    ticket = TicketFactory(title=question, solution=answer)
    closed = apply_transition(ticket, "close", manager)
    return convert_ticket_to_faq(closed, manager, question, answer, None)[0]


def test_the_faq_editor_and_the_public_faq_work_under_the_policy(manager_page, violations):
    page, manager = manager_page
    answer = faq_page(manager, "How do I reset my badge?", "Ask the front desk.")

    # Wagtail's page editor: rich text (Draftail), side panels, publishing.
    visit(page, reverse("wagtailadmin_pages:edit", args=(answer.pk,)), violations)
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Bring your ID.")
    expect(editor).to_contain_text("Ask the front desk. Bring your ID.")
    # Draftail writes the hidden field that the form posts a moment after the last keystroke.
    expect(page.locator('input[name="answer"]')).to_have_value(re.compile("Bring your ID."))
    settle(page)
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    settle(page)
    assert violations == []
    answer.refresh_from_db()
    assert "Bring your ID." in answer.answer

    # The public side: home, the FAQ index, a search, the answer.
    visit(page, "/", violations)
    visit(page, answer.get_parent().url, violations)
    page.get_by_role("searchbox").fill("badge")
    page.get_by_role("searchbox").press("Enter")
    settle(page)
    page.get_by_role("link", name="How do I reset my badge?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do I reset my badge?")
    expect(page.locator("main")).to_contain_text("Bring your ID.")
    settle(page)
    assert violations == []
