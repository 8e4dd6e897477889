"""Which tickets a user sees, and the listing's and search's queries: one place for each."""

from django.conf import settings
from django.db.models import Q, QuerySet
from wagtail.permissions import policy_registry

from ticketing.common.search import contains, has_prefix, whole_number

# Tickets are not search-indexed: the admin searches these columns with the ORM (icontains),
# with the same results on SQLite and PostgreSQL and no index to keep in step with bulk changes.
SEARCH_FIELDS = ["number", "title", "description"]
# What a listing row shows: loaded with the row, so that the listing's queries stay constant.
LISTING_RELATED = ("category", "assigned_to", "account", "contact", "vendor", "asset", "product")


class TicketQuerySet(QuerySet):
    def visible_to(self, user) -> "TicketQuerySet":
        """The tickets `user` may see: every listing, chooser, export, bulk action, related list,
        download and search starts here.

        Today support staff (whoever the ticket permission policy lets "view" tickets, and
        superusers) see them all and everyone else none; the portal and teams will narrow it
        here, and only here.
        """
        if user is None or not user.is_authenticated:
            return self.none()
        if policy_registry.get_by_type(self.model).user_has_permission(user, "view"):
            return self
        return self.none()

    def search(self, query: str) -> "TicketQuerySet":
        """Tickets whose number, title or description contain `query` (any case).

        A whole ticket number ("TT-000042", "tt-42") goes straight to the unique index of the
        number's integer: a substring search would walk the whole table to find the one row.
        Bare digits ("42") may be a number or words of a title ("error 404"): both are found.
        """
        query = query.strip()
        prefix = settings.GUICHET_TICKET_NUMBER_PREFIX
        sequence = whole_number(query, prefix)
        if sequence is not None and has_prefix(query, prefix):
            return self.filter(sequence=sequence)
        if sequence is not None:
            return self.filter(Q(sequence=sequence) | contains(query, ["title", "description"]))
        return self.filter(contains(query, SEARCH_FIELDS))

    def for_listing(self) -> "TicketQuerySet":
        """What the listing and its export show, in a fixed number of queries."""
        return self.select_related(*LISTING_RELATED).defer("description")
