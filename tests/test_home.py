"""The admin home of support staff: their queues with counts that open the filtered listing,
the team's backlog for managers, Wagtail's page home for marketers; constant queries."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import admin_urls as urls
from tests.factories import ContactFactory, EmailMessageFactory, TicketFactory, UserFactory
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.tickets import add_message

pytestmark = pytest.mark.django_db

HOME = "wagtailadmin_home"


def home(client) -> str:
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def panel(page: str, name: str) -> str:
    """The HTML of the home panel `name` (its section, up to the next panel)."""
    match = re.search(rf'<section[^>]*id="{name}-section".*?</section>', page, re.S)
    assert match, f"no panel {name}"
    return match.group(0)


def count_link(page: str, queue: str) -> tuple[str, str]:
    match = re.search(
        rf'data-queue="{queue}">\s*<a href="([^"]+)"[^>]*data-queue-count>\s*([^<]+?)\s*</a>',
        page,
    )
    assert match, f"no count for {queue}"
    return unescape(match.group(1)), match.group(2)


def reply(ticket: Ticket, direction: str) -> None:
    email = EmailMessageFactory.build(outbound=direction == "outbound")
    add_message(ticket, email, by=None, direction=direction)


def bulk_tickets(count: int, start: int = 1, **fields) -> None:
    """`count` tickets in one insert (numbers given by hand: bulk_create skips save())."""
    Ticket.objects.bulk_create(
        Ticket(number=f"TT-{n:06d}", title=f"Bulk {n}", **fields)
        for n in range(start, start + count)
    )


@pytest.fixture
def queue(agent):
    """One ticket per case that the agent's queues tell apart."""
    colleague = UserFactory(username="colleague", role="Support agents")
    contact = ContactFactory(first_name="Claire", last_name="Martin")
    tickets = {
        "mine": TicketFactory(title="Mine, quiet", assigned_to=agent),
        "mine_replied": TicketFactory(
            title="Mine, customer replied", assigned_to=agent, contact=contact
        ),
        "mine_answered": TicketFactory(title="Mine, agent answered", assigned_to=agent),
        "mine_closed": TicketFactory(title="Mine, closed", assigned_to=agent),
        "unassigned": TicketFactory(title="Nobody on it", priority="urgent"),
        "colleague": TicketFactory(title="For a colleague", assigned_to=colleague),
        "old": TicketFactory(title="Old and quiet", assigned_to=colleague),
    }
    reply(tickets["mine_replied"], "outbound")
    reply(tickets["mine_replied"], "inbound")
    reply(tickets["mine_answered"], "inbound")
    reply(tickets["mine_answered"], "outbound")
    reply(tickets["mine_closed"], "inbound")
    Ticket.objects.filter(pk=tickets["mine_closed"].pk).update(status="closed")
    Ticket.objects.filter(pk=tickets["old"].pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    return tickets


def titles_in(html: str, tickets: dict) -> set[str]:
    return {key for key, ticket in tickets.items() if ticket.title in html}


def test_agent_home_shows_their_queues(agent_client, queue):
    page = home(agent_client)
    assert titles_in(panel(page, "my_open"), queue) == {"mine", "mine_replied", "mine_answered"}
    assert titles_in(panel(page, "waiting_on_me"), queue) == {"mine_replied"}
    assert titles_in(panel(page, "unassigned"), queue) == {"unassigned"}
    recent = titles_in(panel(page, "recently_updated"), queue)
    assert "old" not in recent
    assert len(recent) == 5
    assert count_link(page, "my_open")[1] == "3 tickets"
    assert count_link(page, "waiting_on_me")[1] == "1 ticket"
    assert count_link(page, "unassigned")[1] == "1 ticket"
    assert count_link(page, "recently_updated")[1] == "6 tickets"
    # The ticket opens its detail page; urgent stands out.
    assert urls.inspect(queue["mine_replied"]) in panel(page, "waiting_on_me")
    assert "w-status--primary" in panel(page, "unassigned")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my_open", {"mine", "mine_replied", "mine_answered"}),
        ("waiting_on_me", {"mine_replied"}),
        ("unassigned", {"unassigned"}),
        (
            "recently_updated",
            {"mine", "mine_replied", "mine_answered", "mine_closed", "unassigned", "colleague"},
        ),
    ],
)
def test_each_count_opens_the_listing_of_the_same_tickets(agent_client, queue, name, expected):
    url, _ = count_link(home(agent_client), name)
    assert url.startswith(urls.listing() + "?")
    listing = agent_client.get(url).content.decode()
    table = listing[listing.index('<table class="listing"') :]
    assert titles_in(table, queue) == expected


def test_support_staff_summary_counts_open_tickets_not_pages(agent_client, queue):
    page = home(agent_client)
    start = page.index('class="w-summary"')
    summary = page[start : page.index("</section>", start)]
    assert "6 open tickets" in summary
    assert "Pages" not in summary
    assert "Documents" not in summary


def test_agent_does_not_see_the_team_backlog(agent_client, queue):
    assert 'id="team_backlog-section"' not in home(agent_client)


def test_manager_sees_the_team_backlog_by_status_and_agent(client, manager, agent, queue):
    Ticket.objects.filter(pk=queue["colleague"].pk).update(status="waiting")
    client.force_login(manager)
    backlog = panel(home(client), "team_backlog")
    by_status = dict(re.findall(r"<td>([^<]+)</td>\s*<td><a href=\"[^\"]+\">(\d+)</a>", backlog))
    assert by_status["Open"] == "5"
    assert by_status["Waiting for response"] == "1"
    assert by_status[agent.get_full_name()] == "3"
    assert by_status["Unassigned"] == "1"
    assert "Closed" not in by_status
    link = re.search(rf'<td>{agent.get_full_name()}</td>\s*<td><a href="([^"]+)"', backlog)
    listing = client.get(unescape(link.group(1))).content.decode()
    table = listing[listing.index('<table class="listing"') :]
    assert titles_in(table, queue) == {"mine", "mine_replied", "mine_answered"}


def test_marketer_keeps_wagtails_page_home(client, marketer, queue):
    client.force_login(marketer)
    page = home(client)
    assert "data-queue" not in page
    assert "team_backlog" not in page
    assert "Pages" in page
    assert "open tickets" not in page


def test_a_customer_reply_puts_the_ticket_back_in_waiting_on_me(agent, queue):
    ticket = Ticket.objects.get(pk=queue["mine_answered"].pk)
    assert ticket.last_message_direction == "outbound"
    version = ticket.version
    reply(ticket, "inbound")
    ticket.refresh_from_db()
    assert ticket.last_message_direction == "inbound"
    assert ticket.last_message_at
    # Bookkeeping, not an edit: an agent's open edit form stays valid.
    assert ticket.version == version


def test_saving_an_older_copy_of_the_ticket_keeps_its_last_message(agent, queue):
    stale = Ticket.objects.get(pk=queue["mine"].pk)
    reply(Ticket.objects.get(pk=stale.pk), "inbound")
    stale.title = "Renamed"
    stale.save()
    assert Ticket.objects.get(pk=stale.pk).last_message_direction == "inbound"


def test_backfill_takes_each_tickets_latest_email_from_its_timeline(queue):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("ticketing.tickets.migrations.0005_last_message")
    Ticket.objects.update(last_message_direction="", last_message_at=None)
    migration.backfill_last_message(apps, None)
    directions = dict(Ticket.objects.values_list("title", "last_message_direction"))
    assert directions["Mine, customer replied"] == "inbound"
    assert directions["Mine, agent answered"] == "outbound"
    assert directions["Mine, quiet"] == ""


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        home(client)
    return len(queries)


def test_home_queries_do_not_grow_with_tickets(client, manager, agent):
    client.force_login(manager)
    bulk_tickets(10, assigned_to=manager, contact=ContactFactory())
    bulk_tickets(10, start=100, status="waiting", last_message_direction="inbound")
    home_queries(client)  # warm: permissions, sites, content types cached
    small = home_queries(client)
    bulk_tickets(
        1000,
        start=1000,
        assigned_to=manager,
        last_message_direction="inbound",
        contact=ContactFactory(),
    )
    bulk_tickets(1000, start=3000, assigned_to=agent, status="in_progress")
    bulk_tickets(1000, start=5000, status="closed")
    large = home_queries(client)
    assert small == large
    assert large <= 40
