import pytest
from django.db import transaction
from django.test import override_settings

from tests.factories import TicketFactory
from ticketing.models import Ticket

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
