"""Email from a ticket, in Chromium: compose and send, a refused address, read the sent email,
templates that insert text without losing what was typed and without running anyone's script.

The test settings send email with Django's locmem backend and run the email task immediately;
the composer queues it with `transaction.on_commit`, which fires once the live server's request
commits. The live server runs in this process, so `django.core.mail.outbox` sees what it sent.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.e2e.helpers import settle
from tests.factories import ContactFactory, EmailTemplateFactory, TicketFactory
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_out import queue_ticket_email
from ticketing.tickets.models import Ticket

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Printer on floor 2 prints blank pages"
ADDRESS = "claire@acme.example"
BODY = "Hello Claire,\n\nWe are replacing the toner this afternoon.\n\nAlice"


def back_on(page, ticket: Ticket) -> None:
    """Wait until the browser is on the ticket's inspect page and has stopped loading."""
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    settle(page)


def emails_list(page):
    """The ticket's "Emails" list, in the "More information" section of its inspect page."""
    return page.get_by_test_id("related-lists").locator('section[data-related-list="emails"]')


def messages(page):
    return page.locator(".messages")


def described(container, label: str):
    """The <dd> that follows the <dt> reading `label` inside `container` (an inspect page)."""
    return container.locator(f'xpath=.//dt[normalize-space()="{label}"]/following-sibling::dd[1]')


def ticket_with_contact() -> Ticket:
    ticket = TicketFactory(title=TITLE, contact=ContactFactory(email=ADDRESS))
    assert ticket.number == "TT-000001"
    return ticket


def test_agent_sends_an_email_from_the_ticket(agent_page, e2e_agent, screenshot):
    page = agent_page
    ticket = ticket_with_contact()

    page.goto(urls.inspect(ticket))
    settle(page)
    expect(emails_list(page).get_by_role("heading", level=3)).to_contain_text("(0)")
    screenshot("inspect-before")

    # The header button opens the composer, addressed to the contact, the ticket in the subject.
    page.locator("header").get_by_role("link", name="Send email").click()
    page.wait_for_url(re.compile(re.escape(urls.send_email(ticket)) + r"$"))
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Send email")
    expect(page.locator("#id_to")).to_have_value(ADDRESS)
    expect(page.locator("#id_subject")).to_have_value(re.compile(r"^\[TT-000001\] "))
    subject = page.locator("#id_subject").input_value()
    assert subject == f"[TT-000001] {TITLE}"
    page.locator("#id_body").fill(BODY)
    screenshot("composer-filled")
    page.locator("main form").get_by_role("button", name="Send", exact=True).click()

    # Back on the ticket: the email is on its way, and listed as sent.
    back_on(page, ticket)
    expect(messages(page)).to_contain_text(f"Your email to {ADDRESS} is on its way.")
    emails = emails_list(page)
    expect(emails.get_by_role("heading", level=3)).to_contain_text("Emails (1)")
    row = emails.locator("li")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=subject)).to_be_visible()
    status = row.locator("[data-email-status]")
    expect(status).to_have_attribute("data-email-status", "sent")
    expect(status).to_have_text("Sent")  # once: not "Sent · Sent"
    emails.scroll_into_view_if_needed()
    screenshot("email-listed")

    message = EmailMessage.objects.get()
    assert message.ticket_id == ticket.pk
    assert message.direction == EmailDirection.OUTBOUND
    assert message.status == EmailStatus.SENT
    assert message.to == [ADDRESS]
    assert message.cc == []
    assert message.subject == subject
    assert message.text_body.replace("\r\n", "\n") == BODY
    assert message.sent_by == e2e_agent
    assert message.sent_at is not None
    assert message.attempts == 1

    # The live server runs in this process: its locmem backend filled this outbox.
    assert [sent.subject for sent in mail.outbox] == [subject]
    sent = mail.outbox[0]
    assert sent.to == [ADDRESS]
    assert sent.body.replace("\r\n", "\n") == BODY
    assert sent.extra_headers["Message-ID"] == f"<{message.message_id}>"


def test_composer_refuses_a_bad_address_and_stores_nothing(agent_page, screenshot):
    page = agent_page
    ticket = ticket_with_contact()

    page.goto(urls.send_email(ticket))
    settle(page)
    page.locator("#id_to").fill("not-an-address")
    page.locator("#id_body").fill(BODY)
    screenshot("bad-address-typed")
    page.locator("main form").get_by_role("button", name="Send", exact=True).click()

    # Still on the composer, the error under the field, what was typed kept.
    page.wait_for_load_state("load")
    to_field = page.locator(".w-field", has=page.locator("#id_to"))
    expect(to_field.locator(".error-message")).to_contain_text(
        "“not-an-address” is not a valid email address."
    )
    expect(page).to_have_url(re.compile(re.escape(urls.send_email(ticket)) + r"$"))
    expect(page.locator("#id_to")).to_have_value("not-an-address")
    expect(page.locator("#id_body")).to_have_value(BODY)
    expect(messages(page)).not_to_contain_text("is on its way")
    screenshot("bad-address-refused")
    settle(page)
    assert not EmailMessage.objects.exists()
    assert mail.outbox == []

    # Nor does the ticket list anything.
    page.goto(urls.inspect(ticket))
    settle(page)
    emails = emails_list(page)
    expect(emails.get_by_role("heading", level=3)).to_contain_text("(0)")
    expect(emails.locator("li")).to_have_count(0)


def sent_email(ticket: Ticket, agent) -> EmailMessage:
    # Outside a transaction (autocommit), on_commit runs at once: the email is sent here.
    message = queue_ticket_email(
        ticket, agent, [ADDRESS], ["boss@acme.example"], "Your printer", BODY
    )
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT
    assert message.subject == "[TT-000001] Your printer"
    return message


def test_agent_opens_a_sent_email_from_the_ticket(agent_page, e2e_agent, screenshot):
    page = agent_page
    ticket = ticket_with_contact()
    message = sent_email(ticket, e2e_agent)

    page.goto(urls.inspect(ticket))
    settle(page)
    emails = emails_list(page)
    link = emails.locator("li").get_by_role("link", name=message.subject)
    expect(link).to_have_attribute("href", snippet_url("emailmessage", "inspect", message.pk))
    emails.scroll_into_view_if_needed()
    screenshot("ticket-emails")
    link.click()

    page.wait_for_url(
        re.compile(re.escape(snippet_url("emailmessage", "inspect", message.pk)) + r"$")
    )
    settle(page)
    main = page.locator("main")
    expect(main).to_contain_text(message.subject)
    expect(main).to_contain_text(ADDRESS)
    expect(main).to_contain_text("boss@acme.example")
    expect(described(main, "Subject")).to_have_text(message.subject)
    expect(main).to_contain_text(str(ticket))
    # Sent, not failed: nothing to send again.
    expect(page.get_by_test_id("email-failed")).to_have_count(0)
    expect(page.get_by_role("link", name="Send again")).to_have_count(0)
    screenshot("email-inspect")


def test_composer_send_button_shows_its_label(agent_page, screenshot):
    """The "Send" button shows a small mail icon beside its label, not an icon that hides it."""
    page = agent_page
    ticket = ticket_with_contact()

    page.goto(urls.send_email(ticket))
    settle(page)
    button = page.locator("main form").get_by_role("button", name="Send", exact=True)
    button.scroll_into_view_if_needed()
    screenshot("send-button")
    expect(button).to_be_visible()
    icon = button.locator("svg").bounding_box()
    assert icon["height"] <= 24, f"the icon fills the button: {icon}"
    assert icon["width"] <= 24, f"the icon fills the button: {icon}"


def test_sent_email_shows_plain_addresses_and_its_paragraphs(agent_page, e2e_agent, screenshot):
    """Recipients read as addresses, not as a Python list; the message keeps its line breaks."""
    page = agent_page
    message = sent_email(ticket_with_contact(), e2e_agent)

    page.goto(snippet_url("emailmessage", "inspect", message.pk))
    settle(page)
    main = page.locator("main")
    screenshot("email-inspect")
    problems = []
    for label, expected in (("To", ADDRESS), ("Cc", "boss@acme.example")):
        shown = described(main, label).inner_text().strip()
        if shown != expected:
            problems.append(f"{label} shows {shown!r}, not {expected!r}")
    text = described(main, "Text").inner_text().strip()
    if [line for line in text.splitlines() if line.strip()] != [
        line for line in BODY.splitlines() if line.strip()
    ]:
        problems.append(f"the message lost its line breaks: {text!r}")
    assert not problems, "; ".join(problems)


SCRIPT_TITLE = '</textarea><script>alert("title");document.body.dataset.pwned="title"</script>'
SCRIPT_NAME = '<img src=x onerror="alert(1);document.body.dataset.pwned=1">'


def watch_dialogs(page) -> list[str]:
    shown = []

    def dismiss(dialog) -> None:
        shown.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return shown


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    settle(page)
    assert dialogs == []
    assert page.evaluate("document.body.dataset.pwned") is None
    expect(page.locator("main img[src=x]")).to_have_count(0)


def test_a_template_on_a_hostile_ticket_runs_no_script(agent_page, screenshot):
    """A customer's subject and display name carry markup: the agent sees it as text."""
    page = agent_page
    contact = ContactFactory(first_name=SCRIPT_NAME, last_name="", email=ADDRESS)
    ticket = TicketFactory(title=SCRIPT_TITLE, contact=contact)
    template = EmailTemplateFactory(
        name="Acknowledge",
        subject="About {{ ticket.title }}",
        body="Hello {{ contact.name }},\n\nwe received “{{ ticket.title }}”.",
    )
    dialogs = watch_dialogs(page)
    expected_body = f"Hello {SCRIPT_NAME},\n\nwe received “{SCRIPT_TITLE}”."

    # The address a template link used to open, bookmarked or shared.
    page.goto(f"{urls.send_email(ticket)}?template={template.pk}")
    assert_nothing_ran(page, dialogs)
    expect(page.locator("#id_body")).to_have_value(expected_body)
    screenshot("template-from-link")

    # The composer's own button.
    page.goto(urls.send_email(ticket))
    settle(page)
    page.locator("#id_body").fill("")
    page.get_by_test_id("email-templates").get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state("load")
    assert_nothing_ran(page, dialogs)
    expect(page.locator("#id_body")).to_have_value(expected_body)
    expect(page.locator("#id_subject")).to_have_value(f"[{ticket.number}] About {SCRIPT_TITLE}")
    screenshot("template-inserted")


def test_inserting_a_template_keeps_what_the_agent_typed(agent_page, screenshot):
    page = agent_page
    ticket = ticket_with_contact()
    EmailTemplateFactory(
        name="Signature", subject="Ignored {{ ticket.number }}", body="Regards,\n{{ agent.name }}"
    )
    page.goto(urls.send_email(ticket))
    settle(page)
    page.locator("#id_to").fill(f"{ADDRESS}, marc@acme.example")
    page.locator("#id_cc").fill("boss@acme.example")
    page.locator("#id_subject").fill("[TT-000001] Toner delivered")
    page.locator("#id_body").fill(BODY)
    screenshot("typed")
    page.get_by_test_id("email-templates").get_by_role("button", name="Signature").click()
    page.wait_for_load_state("load")
    settle(page)
    screenshot("template-inserted")

    expect(page.locator("#id_to")).to_have_value(f"{ADDRESS}, marc@acme.example")
    expect(page.locator("#id_cc")).to_have_value("boss@acme.example")
    expect(page.locator("#id_subject")).to_have_value("[TT-000001] Toner delivered")
    expect(page.locator("#id_body")).to_have_value(f"{BODY}\n\nRegards,\nAlice Agent")
    expect(page.locator(".error-message")).to_have_count(0)
    assert not EmailMessage.objects.exists()  # inserting is not sending

    page.locator("main form").get_by_role("button", name="Send", exact=True).click()
    back_on(page, ticket)
    message = EmailMessage.objects.get()
    assert message.cc == ["boss@acme.example"]
    assert message.text_body.replace("\r\n", "\n") == f"{BODY}\n\nRegards,\nAlice Agent"
