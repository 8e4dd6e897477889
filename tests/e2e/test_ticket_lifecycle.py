"""A ticket's life in the admin, in Chromium: create, start, a refused close, close, history."""

import re
from datetime import datetime

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from tests import admin_urls as urls
from tests.e2e.helpers import settle
from tests.factories import TicketFactory
from tests.timeline_rows import status_changes
from ticketing.tickets.choices import TicketPriority, TicketStatus
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import apply_transition

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTING = urls.listing()
TITLE = "Printer on floor 2 prints blank pages"
DESCRIPTION = "Since this morning every page comes out blank."
SOLUTION = "Replaced the toner cartridge; test page prints fine."
NO_SOLUTION = "Enter a solution before closing the ticket."
DENIED = "Sorry, you do not have permission to access this area."


def messages(page):
    """The admin's flash messages (success, error) at the top of the page."""
    return page.locator(".messages")


def use_footer_action(page, name: str) -> None:
    """Open the action menu next to "Save" in the edit form's footer and click `name`."""
    settle(page)
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    action = footer.locator(f'button[name="{name}"]')
    expect(action).to_be_visible()
    action.click()


def described(container, label: str):
    """The <dd> (one or more) that follow each <dt> reading `label` inside `container`."""
    return container.locator(f'xpath=.//dt[normalize-space()="{label}"]/following-sibling::dd[1]')


def change_of(timeline, label: str):
    """The "old → new" values recorded for the field `label`, one per change, newest first."""
    return described(timeline, label)


def timeline_rows(page, kind: str):
    """The rows of one kind (status, fields…) of the ticket's timeline, newest first."""
    return page.get_by_test_id("timeline-entries").locator(f'li[data-kind="{kind}"]')


def local_datetime(value: datetime) -> str:
    """`value` as the English admin shows it, in the site's time zone (settings.TIME_ZONE)."""
    with translation.override("en"):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def test_agent_takes_a_ticket_from_creation_to_closing(agent_page, e2e_agent, screenshot):
    page = agent_page
    screenshot("dashboard")

    # CRM > Tickets, from the sidebar as an agent would reach it.
    page.get_by_role("button", name="CRM").click()
    page.get_by_role("link", name="Tickets", exact=True).click()
    page.wait_for_url(re.compile(re.escape(LISTING) + r"$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets")
    screenshot("listing-empty")

    # Create the ticket.
    page.get_by_role("link", name="New ticket").first.click()
    page.wait_for_url(re.compile(r"/add/$"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_priority").select_option(label="High")
    page.locator("#id_description").fill(DESCRIPTION)
    # S11: the solution is written while handling the ticket, not when recording it.
    expect(page.locator("#id_solution")).to_have_count(0)
    screenshot("add-form-filled")
    page.locator("footer").get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(re.escape(LISTING) + r"(\?.*)?$"))
    expect(messages(page)).to_contain_text(TITLE)
    settle(page)
    ticket = Ticket.objects.get(title=TITLE)
    assert ticket.number == "TT-000001"
    assert ticket.status == TicketStatus.OPEN
    assert ticket.priority == TicketPriority.HIGH
    assert ticket.description == DESCRIPTION
    assert ticket.created_by == e2e_agent
    assert ticket.assigned_to == e2e_agent
    row = page.locator("table.listing tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("TT-000001")
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("High")
    screenshot("listing-with-ticket")

    # Open it and start it: the header button leads to a confirmation with a comment.
    page.goto(urls.edit(ticket))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    screenshot("edit-open")
    settle(page)
    page.locator("header").get_by_role("link", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/transition/\d+/start/"))
    expect(page.locator("main")).to_contain_text("currently “Open”")
    page.get_by_label("Comment").fill("Looking at the printer now.")
    screenshot("start-confirmation")
    page.locator("main form").get_by_role("button", name="Start", exact=True).click()

    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    expect(messages(page)).to_contain_text("is now “In progress”")
    settle(page)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    screenshot("started")

    # Closing without a solution is refused, and says why.
    page.goto(urls.edit(ticket))
    expect(page.locator("#id_solution")).to_have_value("")
    use_footer_action(page, "action-close")
    expect(messages(page).locator("li.error")).to_contain_text(NO_SOLUTION)
    solution_field = page.locator(".w-field", has=page.locator("#id_solution"))
    expect(solution_field.locator(".error-message")).to_have_text(NO_SOLUTION)
    # The form comes back with what was typed, still on the edit page.
    expect(page).to_have_url(re.compile(re.escape(urls.edit(ticket)) + r"$"))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.locator("#id_solution").scroll_into_view_if_needed()
    screenshot("close-refused")
    settle(page)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.closed_at is None
    assert not status_changes(ticket).filter(data__to=TicketStatus.CLOSED).exists()

    # With a solution typed in the same form, "Close" saves it, then asks for the same
    # confirmation and comment as the header button does.
    page.goto(urls.edit(ticket))
    expect(page.get_by_test_id("ticket-status")).to_have_text("Status: In progress")
    page.locator("#id_solution").fill(SOLUTION)
    screenshot("solution-typed")
    use_footer_action(page, "action-close")
    page.wait_for_url(re.compile(r"/transition/\d+/close/$"))
    expect(messages(page)).to_contain_text("Confirm “Close” to change its status.")
    expect(page.locator("main")).to_contain_text("currently “In progress”")
    settle(page)
    ticket.refresh_from_db()
    assert ticket.solution == SOLUTION  # kept while the agent confirms
    assert ticket.status == TicketStatus.IN_PROGRESS
    page.get_by_label("Comment").fill("Customer confirmed it prints.")
    screenshot("close-confirmation")
    page.locator("main form").get_by_role("button", name="Close", exact=True).click()
    page.wait_for_url(re.compile(re.escape(urls.inspect(ticket)) + r"$"))
    expect(messages(page)).to_contain_text("is now “Closed”")
    screenshot("closed")
    settle(page)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.solution == SOLUTION
    assert ticket.closed_at is not None
    page.goto(LISTING)
    row = page.locator("table.listing tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("Closed")

    # The inspect page shows the status and the timeline, newest first: each status change
    # once, the solution typed before closing as a field change, each with who made it.
    page.goto(urls.inspect(ticket))
    main = page.locator("main")
    expect(main).to_contain_text("Closed")
    expect(main).to_contain_text(SOLUTION)
    statuses = timeline_rows(page, "status")
    expect(statuses).to_have_count(2)
    expect(statuses.nth(0)).to_contain_text("In progress → Closed")
    expect(statuses.nth(0)).to_contain_text("Alice Agent")
    expect(statuses.nth(0)).to_contain_text("Customer confirmed it prints.")
    expect(statuses.nth(1)).to_contain_text("Open → In progress")
    expect(statuses.nth(1)).to_contain_text("Alice Agent")
    expect(statuses.nth(1)).to_contain_text("Looking at the printer now.")
    fields = timeline_rows(page, "fields")
    expect(fields).to_have_count(1)
    expect(change_of(fields, "Solution")).to_have_text(f"— → {SOLUTION}")
    expect(fields).to_contain_text("Alice Agent")
    expect(change_of(page.get_by_test_id("timeline"), "Status")).to_have_count(0)
    page.get_by_test_id("timeline").scroll_into_view_if_needed()
    screenshot("inspect-timeline")
    settle(page)
    changes = list(
        status_changes(ticket).values_list("data__transition", "data__from", "data__to", "actor")
    )
    assert changes == [
        ("start", TicketStatus.OPEN, TicketStatus.IN_PROGRESS, e2e_agent.pk),
        ("close", TicketStatus.IN_PROGRESS, TicketStatus.CLOSED, e2e_agent.pk),
    ]


def test_marketer_sees_no_tickets_and_is_refused_the_listing(marketer_page, screenshot):
    page = marketer_page
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("button", name=re.compile("^Help"))).to_be_visible()  # rendered
    expect(menu.get_by_text("CRM", exact=True)).to_have_count(0)
    expect(menu.get_by_text("Tickets", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Tickets")).to_have_count(0)
    screenshot("dashboard")

    page.goto(LISTING)
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(messages(page)).to_contain_text(DENIED)
    expect(page.locator("table.listing")).to_have_count(0)
    screenshot("refused")


def test_inspect_page_shows_times_in_the_site_time_zone(agent_page, e2e_agent, screenshot):
    """Every time on the inspect page is in the admin's time zone (Europe/Paris), not UTC."""
    page = agent_page
    ticket = TicketFactory(title=TITLE, assigned_to=e2e_agent, created_by=e2e_agent)
    apply_transition(ticket, "start", e2e_agent)
    Ticket.objects.filter(pk=ticket.pk).update(solution=SOLUTION)
    ticket = apply_transition(ticket, "close", e2e_agent)
    closing = status_changes(ticket).get(data__to=TicketStatus.CLOSED)

    page.goto(urls.inspect(ticket))
    screenshot("inspect")
    main = page.locator("main")
    expect(timeline_rows(page, "status").first).to_contain_text(local_datetime(closing.created_at))
    expect(described(main, "Created")).to_have_text(local_datetime(ticket.created_at))
    expect(described(main, "Closed")).to_have_text(local_datetime(ticket.closed_at))


def test_edit_form_shows_the_ticket_status(agent_page, e2e_agent, screenshot):
    """The header and the "Status" side panel tell the ticket's status, never "Live"."""
    page = agent_page
    ticket = apply_transition(TicketFactory(title=TITLE), "start", e2e_agent)

    page.goto(urls.edit(ticket))
    expect(page.get_by_test_id("ticket-status")).to_have_text("Status: In progress")
    settle(page)
    page.get_by_role("button", name="Toggle status").click()
    panel = page.locator('[data-side-panel="status"]')
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=3).first).to_have_text("Status: In progress")
    expect(panel).to_contain_text("Alice Agent")
    expect(panel).not_to_contain_text("Live")
    screenshot("status-panel")


def test_the_edit_conflict_message_shows_once(agent_page, e2e_agent, screenshot):
    page = agent_page
    ticket = TicketFactory(title=TITLE)

    page.goto(urls.edit(ticket))
    settle(page)
    # Another agent saves the ticket while this one is typing.
    stale = Ticket.objects.get(pk=ticket.pk)
    stale.priority = TicketPriority.HIGH
    stale.save()
    page.locator("#id_title").fill("My better title")
    page.locator("footer").get_by_role("button", name="Save").click()

    page.wait_for_load_state("networkidle")
    expect(
        page.get_by_text("Someone else saved this ticket while you were editing it")
    ).to_have_count(1)
    expect(page.locator("#id_title")).to_have_value("My better title")
    screenshot("conflict")
    ticket.refresh_from_db()
    assert ticket.title == TITLE
