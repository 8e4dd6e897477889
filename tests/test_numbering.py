import pytest
from django.db import transaction
from django.test import override_settings

from tests.factories import TicketFactory
from ticketing.models import Ticket, TicketCounter

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
    TicketCounter.objects.filter(name="ticket").update(value=999_998)
    older, newer = TicketFactory(), TicketFactory()
    assert (older.number, newer.number) == ("TT-999999", "TT-1000000")
    assert list(Ticket.objects.all()) == [newer, older]


def test_other_numbered_records_carry_their_sequence():
    from ticketing.models import Quote

    TicketCounter.objects.update_or_create(name="quote", defaults={"value": 999_999})
    quote = Quote.objects.create(subject="Big")
    assert (quote.number, quote.sequence) == ("QT-1000000", 1_000_000)
    small = Quote.objects.create(number="QT-000007", subject="Imported")
    assert small.sequence == 7
    assert list(Quote.objects.all()) == [quote, small]
    Quote.objects.bulk_create([Quote(number="QT-000020", subject="Bulk")])
    assert Quote.objects.get(number="QT-000020").sequence == 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_fills_the_sequence_of_existing_numbers():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("ticketing", "0009_ticket_faq_page")]
    after = [("ticketing", "0010_ticket_number_sequence")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    apps.get_model("ticketing", "Ticket").objects.create(number="TT-1000000", title="new")
    apps.get_model("ticketing", "Ticket").objects.create(number="TT-999999", title="old")
    apps.get_model("ticketing", "Quote").objects.create(number="QT-000012", subject="q")
    apps.get_model("ticketing", "Quote").objects.create(number="odd-1", subject="imported")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    tickets = apps.get_model("ticketing", "Ticket").objects.order_by("sequence")
    assert list(tickets.values_list("number", "sequence")) == [
        ("TT-999999", 999_999),
        ("TT-1000000", 1_000_000),
    ]
    quotes = apps.get_model("ticketing", "Quote").objects.order_by("number")
    assert list(quotes.values_list("number", "sequence")) == [("QT-000012", 12), ("odd-1", None)]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
