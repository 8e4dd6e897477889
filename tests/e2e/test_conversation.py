"""The conversation in Chromium (issue 10): an agent reads a customer's email in the thread,
replies with a canned response, and adds an internal note mentioning a colleague."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.e2e.helpers import log_in, settle
from tests.factories import (
    ContactFactory,
    EmailMessageFactory,
    EmailTemplateFactory,
    TicketFactory,
    UserFactory,
)
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.services.tickets import add_message

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CUSTOMER = "claire@acme.example"


def to_customer() -> list:
    """The emails sent to the customer (agents get their notifications by email too)."""
    return [message for message in mail.outbox if CUSTOMER in message.to]


def test_agent_reads_replies_with_a_template_and_notes_for_a_colleague(
    agent_page, e2e_agent, screenshot, browser, live_server
):
    page = agent_page
    colleague = UserFactory(username="bob", first_name="Bob", last_name="Colleague",
                            role="Support agents")  # fmt: skip
    ticket = TicketFactory(title="Printer", contact=ContactFactory(email=CUSTOMER))
    email = EmailMessageFactory.build(
        from_address=CUSTOMER,
        subject=f"[{ticket.number}] Printer",
        text_body="The printer prints blank pages.\n\nOn Mon, 1 Dec 2026, Support "
        "<support@guichet.example> wrote:\n> Which model is it?",
        html_body='<p>The printer prints blank pages.</p><img src="https://tracker.example/p.gif">',
    )
    add_message(ticket, email, by=None, direction="inbound")
    EmailTemplateFactory(name="Toner", subject="Toner", body="We are sending a new toner.")
    tracker_requests = []
    page.on("request", lambda r: tracker_requests.append(r.url) if "tracker" in r.url else None)

    page.goto(urls.inspect(ticket))
    settle(page)
    thread = page.get_by_test_id("conversation")
    message = thread.get_by_test_id("conversation-email")
    expect(message).to_contain_text("The printer prints blank pages.")
    expect(message).to_contain_text(CUSTOMER)
    expect(message.get_by_test_id("quoted")).not_to_have_attribute("open", "")
    expect(message.get_by_test_id("images-blocked")).to_be_visible()
    message.scroll_into_view_if_needed()
    screenshot("thread")

    # The composer at the end answers that email; the canned response keeps what was typed.
    composer = page.get_by_test_id("composer-reply")
    expect(composer.locator("#id_subject")).to_have_value(f"Re: [{ticket.number}] Printer")
    composer.locator("#id_body").press("Control+Home")
    composer.locator("#id_body").type("Hello Claire,\n")
    composer.get_by_role("button", name="Toner").click()
    page.wait_for_url(re.compile(re.escape(urls.send_email(ticket))))
    settle(page)
    body = page.locator("#id_body").input_value()
    assert body.startswith("Hello Claire,")
    assert "We are sending a new toner." in body
    page.locator("main form").get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    settle(page)
    (sent,) = to_customer()
    assert "We are sending a new toner." in sent.body
    assert sent.extra_headers["In-Reply-To"] == f"<{email.message_id}>"
    outbound = page.get_by_test_id("conversation-email").last
    expect(outbound.get_by_test_id("conversation-body")).to_contain_text(
        "We are sending a new toner."
    )
    expect(outbound.get_by_test_id("delivery-status")).to_have_text("Sent")

    # The internal note, in its own tab, mentioning a colleague.
    note_tab = page.get_by_test_id("composer-note")
    note_tab.locator("summary").click()
    note_tab.locator("textarea").fill("@bob can you bring the toner? @nobody")
    note_tab.get_by_role("button", name="Add internal note").click()
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket))))
    settle(page)
    expect(page.locator(".messages")).to_contain_text("No agent called @nobody")
    note = page.get_by_test_id("conversation-note")
    expect(note.get_by_test_id("note-label")).to_have_text(re.compile("Internal note"))
    expect(note).to_contain_text("Bob Colleague")
    note.scroll_into_view_if_needed()
    screenshot("note")
    entry = ticket.timeline.get(kind=TimelineKind.NOTE)
    assert entry.data["mentions"] == [colleague.pk]
    assert len(to_customer()) == 1  # the note went into no email to the customer
    assert tracker_requests == []

    # Bob is told of the mention in the admin, and opens the ticket from there.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1200}
    )
    bob = context.new_page()
    log_in(bob, colleague.username)
    bob.get_by_role("link", name=re.compile(r"Notifications \(\d+\)")).click()
    bob.get_by_role("link", name=re.compile("mentioned you")).click()
    expect(bob).to_have_url(re.compile(re.escape(urls.inspect(ticket)) + "$"))
    expect(bob.get_by_test_id("conversation-note")).to_contain_text("can you bring the toner?")
    context.close()
