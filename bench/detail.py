"""Ticket detail page with N records in each related list: median ms and SQL query count.

Usage: .venv/bin/python bench/detail.py [--sizes 10 100 1000] [--runs 7]
(DATABASE_URL=postgres://... for PostgreSQL; a throwaway database, as bench/run.py uses)
"""

import argparse
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - bench/run.py owns the throwaway database and the timer


def fill_lists(ticket, count: int, user) -> None:
    """Bring each of the ticket's related lists to `count` records, linked as an agent would."""
    from django.utils import timezone
    from wagtail.documents import get_document_model

    from ticketing.common.documents import ticket_documents_collection
    from ticketing.records.models import (
        Activity,
        Expense,
        Project,
        Quote,
        SalesOrder,
        Service,
        ServiceContract,
        Timesheet,
    )
    from ticketing.tickets.related_lists import related_list
    from ticketing.tickets.services.linking import link_records

    have = ticket.expenses.count()
    new = range(have, count)
    now = timezone.now()
    # Child records are created on the ticket by their own forms, which have no ticket service
    # to call: inserted in bulk here, without the per-row history note of each (not timed).
    Activity.objects.bulk_create(
        Activity(subject=f"Activity {i}", ticket=ticket, due_at=now, status="open" if i % 2 else
                 "closed") for i in new
    )  # fmt: skip
    Expense.objects.bulk_create(
        Expense(description=f"Expense {i}", amount=Decimal("9.90"), ticket=ticket) for i in new
    )
    Timesheet.objects.bulk_create(
        Timesheet(hours=Decimal("0.25"), ticket=ticket, user=user) for i in new
    )
    collection = ticket_documents_collection()
    documents = get_document_model().objects.bulk_create(
        get_document_model()(title=f"Document {i}", file=f"documents/d{i}.pdf",
                             collection=collection) for i in new
    )  # fmt: skip
    link_records(ticket, related_list("documents"), documents, user)
    services = Service.objects.bulk_create(Service(name=f"Service {i}") for i in new)
    link_records(ticket, related_list("services"), services, user)
    projects = Project.objects.bulk_create(Project(name=f"Project {i}") for i in new)
    link_records(ticket, related_list("projects"), projects, user)
    for model, key, prefix in [
        (Quote, "quotes", "QT"),
        (SalesOrder, "sales_orders", "SO"),
        (ServiceContract, "service_contracts", "SC"),
    ]:
        records = model.objects.bulk_create(
            model(number=f"{prefix}-B{i:06d}", subject=f"{key} {i}") for i in new
        )
        link_records(ticket, related_list(key), records, user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with bench.migrated_database() as database:
        from django.test import Client

        fx = bench.create_fixtures()
        bench.grow_tickets(1_000, fx)
        from ticketing.tickets.models import Ticket

        ticket = Ticket.objects.order_by("sequence").first()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(fx.superuser)
        url = f"/admin/snippets/tickets/ticket/inspect/{ticket.pk}/"
        print("# Ticket detail with N records in each related list\n")
        print(f"{bench.environment_line(database)}\n")
        print("| records per list | median ms | min ms | SQL ms | SQL queries |")
        print("|---:|---:|---:|---:|---:|")
        for size in sorted(args.sizes):
            fill_lists(ticket, size, fx.agents[0])
            m = bench.time_page(client, "detail", "detail", url, args.runs, None)
            print(f"| {size:,} | {m.median_ms:.1f} | {m.min_ms:.1f} | {m.sql_ms:.1f} | "
                  f"{m.queries}{' (varied)' if m.queries_varied else ''} |")  # fmt: skip


if __name__ == "__main__":
    main()
