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
    add_message(ticket, EmailMessageFactory.build(direction=direction[:3]), by=None,
                direction=direction)
