import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from tests.factories import ServiceContractFactory, TicketFactory, TimesheetFactory
from ticketing.records.choices import TrackingUnit
from ticketing.records.contracts import (
    contracts_over_limit,
    recompute_contracts_for_tickets,
    recompute_used_units,
)
from ticketing.records.models import ServiceContract
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import TransitionRefused, apply_transition

pytestmark = pytest.mark.django_db


def used(contract: ServiceContract) -> Decimal:
    contract.refresh_from_db(fields=["used_units"])
    return contract.used_units


def close(ticket: Ticket, user) -> Ticket:
    ticket.solution = "Fixed."
    ticket.save()
    return apply_transition(ticket, "close", user)


def closed_ticket(user) -> Ticket:
    return close(TicketFactory(), user)


# Incidents: closed tickets only.


def test_incidents_count_closed_tickets_only(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    tickets = TicketFactory.create_batch(3)
    contract.tickets.add(*tickets)
    assert used(contract) == 0

    close(tickets[0], agent)
    started = apply_transition(tickets[1], "start", agent)
    assert used(contract) == 1

    close(started, agent)
    assert used(contract) == 2


def test_reopening_gives_the_incident_back(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    ticket = closed_ticket(agent)
    ticket.service_contracts.add(contract)
    assert used(contract) == 1

    apply_transition(ticket, "reopen", agent)
    assert used(contract) == 0


def test_a_refused_close_changes_nothing(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    ticket = TicketFactory()
    ticket.service_contracts.add(contract)
    with pytest.raises(TransitionRefused):
        apply_transition(ticket, "close", agent)  # no solution
    assert used(contract) == 0


# Hours: the linked tickets' timesheets.


def test_hours_follow_timesheets_created_changed_and_deleted():
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    ticket = TicketFactory()
    ticket.service_contracts.add(contract)

    first = TimesheetFactory(ticket=ticket, hours=Decimal("1.5"))
    TimesheetFactory(ticket=ticket, hours=Decimal("2.25"))
    TimesheetFactory(ticket=TicketFactory(), hours=5)  # another ticket: not this contract's
    assert used(contract) == Decimal("3.75")

    first.hours = Decimal("4")
    first.save()
    assert used(contract) == Decimal("6.25")

    first.delete()
    assert used(contract) == Decimal("2.25")


def test_moving_a_timesheet_moves_its_hours_between_contracts():
    contract_a = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    contract_b = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    ticket_a, ticket_b = TicketFactory(), TicketFactory()
    ticket_a.service_contracts.add(contract_a)
    ticket_b.service_contracts.add(contract_b)
    timesheet = TimesheetFactory(ticket=ticket_a, hours=3)
    assert (used(contract_a), used(contract_b)) == (3, 0)

    timesheet.ticket = ticket_b
    timesheet.save()
    assert (used(contract_a), used(contract_b)) == (0, 3)

    timesheet.ticket = None
    timesheet.save()
    assert (used(contract_a), used(contract_b)) == (0, 0)


def test_hours_ignore_the_ticket_status(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    ticket = TicketFactory()
    ticket.service_contracts.add(contract)
    TimesheetFactory(ticket=ticket, hours=2)
    close(ticket, agent)
    assert used(contract) == 2


# Days: hours divided by the working day.


def test_days_divide_hours_by_the_working_day():
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.DAYS)
    ticket = TicketFactory()
    ticket.service_contracts.add(contract)
    TimesheetFactory(ticket=ticket, hours=12)
    assert used(contract) == Decimal("1.50")


def test_days_round_to_two_decimals(settings):
    settings.GUICHET_HOURS_PER_DAY = 7.5
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.DAYS)
    ticket = TicketFactory()
    ticket.service_contracts.add(contract)
    TimesheetFactory(ticket=ticket, hours=10)
    assert used(contract) == Decimal("1.33")


def test_changing_the_tracking_unit_recounts(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    ticket = closed_ticket(agent)
    ticket.service_contracts.add(contract)
    TimesheetFactory(ticket=ticket, hours=4)
    assert used(contract) == 4

    contract.tracking_unit = TrackingUnit.INCIDENTS
    contract.save()
    assert used(contract) == 1


# Linking and unlinking, from either side.


@pytest.mark.parametrize("side", ["ticket", "contract"])
def test_link_and_unlink_recount(agent, side):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    ticket = closed_ticket(agent)

    def link(*, add: bool) -> None:
        if side == "ticket":
            manager, other = ticket.service_contracts, contract
        else:
            manager, other = contract.tickets, ticket
        manager.add(other) if add else manager.remove(other)

    link(add=True)
    assert used(contract) == 1
    link(add=False)
    assert used(contract) == 0


@pytest.mark.parametrize("side", ["ticket", "contract"])
def test_clear_and_set_recount(agent, side):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    ticket = closed_ticket(agent)
    manager, other = (
        (ticket.service_contracts, contract) if side == "ticket" else (contract.tickets, ticket)
    )

    manager.set([other])
    assert used(contract) == 1
    manager.clear()
    assert used(contract) == 0


def test_deleting_a_ticket_recounts_its_contracts(agent):
    incidents = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    hours = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    ticket = closed_ticket(agent)
    ticket.service_contracts.add(incidents, hours)
    TimesheetFactory(ticket=ticket, hours=2)
    assert (used(incidents), used(hours)) == (1, 2)

    ticket.delete()
    assert (used(incidents), used(hours)) == (0, 0)


# Over-consumption and tickets on several contracts.


def test_a_contract_over_its_total_is_flagged(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS, total_units=1)
    spare = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS, total_units=5)
    first, second = closed_ticket(agent), closed_ticket(agent)
    first.service_contracts.add(contract, spare)
    assert not ServiceContract.objects.get(pk=contract.pk).is_over
    assert contracts_over_limit(first) == []

    second.service_contracts.add(contract)
    assert ServiceContract.objects.get(pk=contract.pk).is_over
    assert contracts_over_limit(first) == [contract]
    assert contracts_over_limit(second) == [contract]


def test_a_ticket_on_two_contracts_updates_both(agent):
    incidents = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    days = ServiceContractFactory(tracking_unit=TrackingUnit.DAYS)
    ticket = TicketFactory()
    ticket.service_contracts.add(incidents, days)

    TimesheetFactory(ticket=ticket, hours=4)
    assert (used(incidents), used(days)) == (0, Decimal("0.50"))
    close(ticket, agent)
    assert (used(incidents), used(days)) == (1, Decimal("0.50"))


# Query budget.


@pytest.mark.parametrize("ticket_count", [1, 20])
def test_recounting_a_contract_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries, agent, ticket_count
):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    tickets = [closed_ticket(agent) for _ in range(ticket_count)]
    contract.tickets.add(*tickets)
    for ticket in tickets:
        TimesheetFactory.create_batch(2, ticket=ticket, hours=1)

    # A lock, one aggregate, the update and its savepoint, however many tickets and timesheets.
    with django_assert_max_num_queries(5):
        recompute_used_units(contract)
    assert contract.used_units == 2 * ticket_count

    contract.tracking_unit = TrackingUnit.INCIDENTS
    contract.save(update_fields=["tracking_unit"])
    with django_assert_max_num_queries(5):
        recompute_used_units(contract)
    assert contract.used_units == ticket_count


def test_recounting_a_tickets_contracts_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries, agent
):
    ticket = closed_ticket(agent)
    ticket.service_contracts.add(*ServiceContractFactory.create_batch(2))
    # One query lists the contracts, then five per contract as above.
    with django_assert_max_num_queries(11):
        recompute_contracts_for_tickets([ticket.pk])


def run_at_once(work, items) -> list[Exception]:
    """Run `work(item)` for every item in its own thread and transaction, all released together."""
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item) -> None:
        try:
            barrier.wait()
            # One transaction each, as in the admin: every recount overlaps the others' rows.
            with transaction.atomic():
                work(item)
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL; CI runs this on PostgreSQL",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
def test_concurrent_timesheets_lose_no_hours():
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.HOURS)
    tickets = TicketFactory.create_batch(8)
    contract.tickets.add(*tickets)

    errors = run_at_once(lambda ticket: TimesheetFactory(ticket=ticket, hours=1), tickets)

    assert errors == []
    assert used(contract) == len(tickets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
def test_concurrent_links_neither_deadlock_nor_lose_a_ticket(agent):
    contract = ServiceContractFactory(tracking_unit=TrackingUnit.INCIDENTS)
    tickets = [closed_ticket(agent) for _ in range(8)]

    errors = run_at_once(lambda ticket: ticket.service_contracts.add(contract), tickets)

    assert errors == []
    assert used(contract) == len(tickets)
