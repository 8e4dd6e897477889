"""Used units of service contracts (S27), recomputed from the tickets linked to them."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet, Sum

from ticketing.records.choices import TrackingUnit
from ticketing.records.models import ServiceContract, Timesheet
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.models import Ticket

CENT = Decimal("0.01")


def hours_per_day() -> Decimal:
    # str() first: a float setting (7.5) must not drag binary noise into the division.
    return Decimal(str(getattr(settings, "GUICHET_HOURS_PER_DAY", 8)))


def _count_used_units(contract_pk: int, tracking_unit: str) -> Decimal:
    if tracking_unit == TrackingUnit.INCIDENTS:
        closed = Ticket.objects.filter(service_contracts=contract_pk, status=TicketStatus.CLOSED)
        units = Decimal(closed.count())
    else:
        # A ticket is linked to a contract at most once: the join counts each timesheet once.
        timesheets = Timesheet.objects.filter(ticket__service_contracts=contract_pk)
        units = timesheets.aggregate(total=Sum("hours"))["total"] or Decimal(0)
        if tracking_unit == TrackingUnit.DAYS:
            units /= hours_per_day()
    return units.quantize(CENT, rounding=ROUND_HALF_UP)


def recompute_used_units(contract: ServiceContract) -> ServiceContract:
    """Recount what `contract` has used from its linked tickets and store it in `used_units`.

    The contract row is locked before counting so that two transactions changing its tickets
    at once recount one after the other: on PostgreSQL the second count then sees the first
    one's rows instead of overwriting its total with a stale one. NO KEY UPDATE, because the
    link and timesheet inserts that trigger a recount hold KEY SHARE locks on the same rows.
    """
    # No savepoint: the callers' transaction already rolls everything back on an error.
    with transaction.atomic(savepoint=False):
        locked = ServiceContract.objects.select_for_update(no_key=True).filter(pk=contract.pk)
        try:
            # Re-read under the lock: the caller's copy may predate an edit of the unit.
            contract.tracking_unit = locked.values_list("tracking_unit", flat=True).get()
        except ServiceContract.DoesNotExist:  # deleted meanwhile: nothing left to count
            return contract
        contract.used_units = _count_used_units(contract.pk, contract.tracking_unit)
        # A derived count, not an edit: written without save(), so that it neither bumps the
        # version (an agent's open edit form stays valid) nor makes Wagtail reindex the
        # contract's references, which would re-read them on every recount.
        ServiceContract.objects.filter(pk=contract.pk).update(used_units=contract.used_units)
    return contract


def _recompute_each(contracts: QuerySet[ServiceContract]) -> None:
    # Primary-key order: two transactions recounting the same contracts lock them in the same
    # order, so they queue instead of deadlocking.
    with transaction.atomic(savepoint=False):
        for contract in contracts.order_by("pk"):
            recompute_used_units(contract)


def recompute_contracts(contract_ids: Iterable[int]) -> None:
    """Recompute the given contracts (after a ticket is linked to or unlinked from them)."""
    _recompute_each(ServiceContract.objects.filter(pk__in=list(contract_ids)))


def recompute_contracts_for_tickets(ticket_ids: Iterable[int | None]) -> None:
    """Recompute every contract linked to one of `ticket_ids` (after a close, reopen, timesheet)."""
    ids = {pk for pk in ticket_ids if pk is not None}
    if ids:
        _recompute_each(ServiceContract.objects.filter(tickets__in=ids).distinct())


def contracts_over_limit(ticket: Ticket) -> list[ServiceContract]:
    """The contracts of `ticket` that have used more than they hold, for a warning on its page."""
    return list(ticket.service_contracts.filter(used_units__gt=F("total_units")))
