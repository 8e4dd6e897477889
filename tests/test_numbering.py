import pytest
from django.db import transaction
from django.test import override_settings

from tests.factories import TicketFactory
from ticketing.common.numbering import NumberCounter
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_numbers_follow_the_default_format_and_sequence():
    first, second = TicketFactory(), TicketFactory()
    assert first.number == "TT-000001"
    assert second.number == "TT-000002"


@override_settings(GUICHET_TICKET_NUMBER_PREFIX="HD-", GUICHET_TICKET_NUMBER_PADDING=4)
def test_number_format_follows_settings():
    assert TicketFactory().number == "HD-0001"


def test_number_never_changes_on_save():
    ticket = TicketFactory()
    ticket.title = "Renamed"
    ticket.number = "TT-999999"
    ticket.save()
    ticket.refresh_from_db()
    assert ticket.number == "TT-000001"


def test_rolled_back_creation_gives_its_number_back():
    TicketFactory()

    def create_then_fail():
        with transaction.atomic():
            TicketFactory()
            raise RuntimeError("creation failed after numbering")

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert TicketFactory().number == "TT-000002"


def test_numbers_are_never_reused_after_delete():
    TicketFactory()
    last = TicketFactory()
    last.delete()
    assert TicketFactory().number == "TT-000003"
    assert Ticket.objects.count() == 2


def test_sequence_is_the_number_as_an_integer():
    ticket = TicketFactory()
    assert (ticket.number, ticket.sequence) == ("TT-000001", 1)
    assert TicketFactory(number="TT-000042").sequence == 42


@override_settings(GUICHET_TICKET_NUMBER_PADDING=6)
def test_a_millionth_ticket_sorts_after_the_999999th():
    NumberCounter.objects.update_or_create(name="ticket", defaults={"value": 999_998})
    older, newer = TicketFactory(), TicketFactory()
    assert (older.number, newer.number) == ("TT-999999", "TT-1000000")
    assert list(Ticket.objects.all()) == [newer, older]


def test_other_numbered_records_carry_their_sequence():
    from ticketing.records.models import Quote

    NumberCounter.objects.update_or_create(name="quote", defaults={"value": 999_999})
    quote = Quote.objects.create(subject="Big")
    assert (quote.number, quote.sequence) == ("QT-1000000", 1_000_000)
    small = Quote.objects.create(number="QT-000007", subject="Imported")
    assert small.sequence == 7
    assert list(Quote.objects.all()) == [quote, small]
    Quote.objects.bulk_create([Quote(number="QT-000020", subject="Bulk")])
    assert Quote.objects.get(number="QT-000020").sequence == 20


@pytest.mark.django_db
def test_imported_numbers_get_their_sequence():
    # A bulk insert (an import) calls no save(): the number's digits give the sequence.
    from ticketing.records.models import Quote
    from ticketing.tickets.models import Ticket

    Ticket.objects.bulk_create(
        [Ticket(number="TT-1000000", title="new"), Ticket(number="TT-999999", title="old")]
    )
    Quote.objects.bulk_create(
        [Quote(number="QT-000012", subject="q"), Quote(number="odd-1", subject="imported")]
    )
    tickets = Ticket.objects.order_by("sequence")
    assert list(tickets.values_list("number", "sequence")) == [
        ("TT-999999", 999_999),
        ("TT-1000000", 1_000_000),
    ]
    quotes = Quote.objects.order_by("number")
    assert list(quotes.values_list("number", "sequence")) == [("QT-000012", 12), ("odd-1", None)]
