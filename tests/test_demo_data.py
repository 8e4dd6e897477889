import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ticketing.parties.models import Account
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (Ticket.objects.count(), Account.objects.count(), get_user_model().objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        Ticket.objects.count(),
        Account.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert counts[0] == 5


def test_demo_data_gives_one_user_per_role_and_a_lived_in_ticket_list():
    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="agent").groups.filter(name="Support agents").exists()
    assert users.get(username="manager").groups.filter(name="Support managers").exists()
    assert users.get(username="marketer").groups.filter(name="Marketers").exists()
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.CLOSED} <= statuses
