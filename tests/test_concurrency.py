"""Ticket numbers stay unique and gapless when agents create tickets at the same moment."""

import threading

import pytest
from django.db import connection, connections

from ticketing.common.numbering import format_ticket_number
from ticketing.tickets.models import Ticket

WORKERS = 8
TICKETS_PER_WORKER = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL; CI runs this on PostgreSQL",
)
def test_concurrent_creation_gives_unique_gapless_numbers():
    barrier = threading.Barrier(WORKERS)
    errors = []

    def create_tickets(worker: int) -> None:
        try:
            barrier.wait()
            for index in range(TICKETS_PER_WORKER):
                Ticket.objects.create(title=f"worker {worker} ticket {index}")
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create_tickets, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    total = WORKERS * TICKETS_PER_WORKER
    assert numbers == [format_ticket_number(n) for n in range(1, total + 1)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sequential_creation_in_separate_transactions_is_gapless():
    for index in range(5):
        Ticket.objects.create(title=f"t{index}")
    numbers = list(Ticket.objects.order_by("number").values_list("number", flat=True))
    assert numbers == [format_ticket_number(n) for n in range(1, 6)]
