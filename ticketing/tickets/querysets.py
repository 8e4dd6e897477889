"""Which tickets a user sees, and the listing's and search's queries: one place for each."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from wagtail.permissions import policy_registry

from ticketing.common.search import contains, has_prefix, whole_number
from ticketing.parties.models import Account, Contact

# Tickets are not search-indexed: the admin searches these columns with the ORM (icontains),
# with the same results on SQLite and PostgreSQL and no index to keep in step with bulk changes.
SEARCH_FIELDS = ["number", "title", "description"]
# Who the ticket is about: its contact's name and email, its account's name (S4).
PARTY_SEARCH_FIELDS = [
    "contact__first_name",
    "contact__last_name",
    "contact__email",
    "account__name",
]
# What a listing row shows: loaded with the row, so that the listing's queries stay constant.
LISTING_RELATED = ("category", "assigned_to", "account", "contact", "vendor", "asset", "product")


def is_email_address(query: str) -> bool:
    try:
        validate_email(query)
    except ValidationError:
        return False
    return True


def full_name_matches(query: str) -> Q:
    """ "Claire Martin" or "Martin Claire": words across the contact's first and last names."""
    first, _, rest = query.partition(" ")
    if not rest.strip():
        return Q(pk__in=[])
    rest = rest.strip()
    return Q(contact__first_name__icontains=first, contact__last_name__icontains=rest) | Q(
        contact__last_name__icontains=first, contact__first_name__icontains=rest
    )


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
        """Tickets whose number, title or description contain `query` (any case), or whose
        contact's name or email or account's name do.

        A whole email address ("claire@example.com") finds the tickets of the contacts and
        accounts with that address, through their ids: an exact match, not a scan of every
        ticket's text.

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
        if is_email_address(query):
            return self.filter(self._with_email(query))
        return self.filter(
            contains(query, SEARCH_FIELDS + PARTY_SEARCH_FIELDS) | full_name_matches(query)
        )

    def _with_email(self, address: str) -> Q:
        contacts = Contact.objects.filter(email__iexact=address).values("pk")
        accounts = Account.objects.filter(email__iexact=address).values("pk")
        return Q(contact__in=contacts) | Q(account__in=accounts)

    def for_listing(self) -> "TicketQuerySet":
        """What the listing and its export show, in a fixed number of queries."""
        return self.select_related(*LISTING_RELATED).defer("description")
