"""Reading tickets' timelines in tests: their rows, and the section of the page that shows them."""

from tests import admin_urls as urls
from ticketing.tickets.choices import TimelineKind
from ticketing.tickets.models import TimelineEntry


def status_changes(ticket=None):
    """The status rows of `ticket`'s timeline (of every ticket without one), oldest first."""
    rows = TimelineEntry.objects.filter(kind=TimelineKind.STATUS).order_by("created_at", "pk")
    return rows.filter(ticket=ticket) if ticket is not None else rows


def timeline_html(client, ticket, query: str = "") -> str:
    """The timeline section of the ticket's page, as `client` reads it."""
    url = urls.inspect(ticket) + query
    page = client.get(url).content.decode()
    return page.split('data-testid="timeline"')[1].split("</section>")[0]
