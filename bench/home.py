"""The support home at N tickets: median ms and SQL query count per role, and each count's plan.

Usage: .venv/bin/python bench/home.py [--sizes 1000 100000 1000000] [--runs 7]
DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_home for PostgreSQL: a throwaway
database named `guichet_home` (bench/run.py's machinery; dropped at the end).

The tickets are bench/run.py's (45% closed, 10 agents, 85% assigned); on top, one in three
has a customer's reply as its last message, one in three an agent's, and "last update" is
spread over the last 30 days (one in 30 in the last 24 hours).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - bench/run.py owns the throwaway database and the timer

bench.BENCH_PG_DATABASE = "guichet_home"  # not guichet_bench: other benches may be running


def spread_messages_and_updates() -> None:
    """Who wrote last and when the ticket last changed, in one UPDATE (bulk_create set now)."""
    from django.db import connection

    from ticketing.tickets.models import Ticket

    table = Ticket._meta.db_table
    direction = "CASE sequence % 3 WHEN 0 THEN 'inbound' WHEN 1 THEN 'outbound' ELSE '' END"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            minutes = "((sequence * 37) % 43200) * interval '1 minute'"
            cursor.execute(
                f"UPDATE {table} SET last_message_direction = {direction}, "  # noqa: S608
                f"updated_at = now() - {minutes}, last_message_at = now() - {minutes}"
            )
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            minutes = "'-' || ((sequence * 37) % 43200) || ' minutes'"
            cursor.execute(
                f"UPDATE {table} SET last_message_direction = {direction}, "  # noqa: S608
                f"updated_at = datetime('now', {minutes}), "
                f"last_message_at = datetime('now', {minutes})"
            )
            cursor.execute("ANALYZE")


def count_plans(user) -> list[tuple[str, int, str]]:
    """(queue, count, the plan's access path) for each count the home makes for `user`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ticketing.desk.queues import AGENT_QUEUES

    plans = []
    for queue in AGENT_QUEUES:
        with CaptureQueriesContext(connection) as captured:
            count = queue.tickets(user).count()
        sql = captured.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {sql}")
                lines = [row[0].strip() for row in cursor.fetchall()]
                path = next((line for line in lines if "Index" in line or "Scan" in line), "")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                path = "; ".join(row[-1] for row in cursor.fetchall())
        plans.append((queue.name, count, path.split("  (cost")[0]))
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with bench.migrated_database() as database:
        from django.test import Client

        fx = bench.create_fixtures()
        agent = fx.agents[0]
        clients = {}
        for role, user in (("agent", agent), ("manager (superuser)", fx.superuser)):
            clients[role] = Client(HTTP_HOST="127.0.0.1")
            clients[role].force_login(user)
        print("# The support home at N tickets\n")
        print(f"{bench.environment_line(database)}\n")
        results = {}
        for size in sorted(args.sizes):
            seconds = bench.grow_tickets(size, fx)
            spread_messages_and_updates()
            print(f"\n## {size:,} tickets (made in {seconds:.0f} s)\n")
            print("| home of | median ms | min ms | SQL ms | SQL queries |")
            print("|---|---:|---:|---:|---:|")
            for role, client in clients.items():
                m = bench.time_page(client, role, role, "/admin/", args.runs, None)
                results.setdefault(role, []).append((size, m))
                varied = " (varied)" if m.queries_varied else ""
                print(f"| {role} | {m.median_ms:.1f} | {m.min_ms:.1f} | {m.sql_ms:.1f} | "
                      f"{m.queries}{varied} |")  # fmt: skip
            print(f"\nThe agent's counts ({agent.username}) and how the database finds them:\n")
            print("| queue | count | plan |")
            print("|---|---:|---|")
            for name, count, path in count_plans(agent):
                print(f"| {name} | {count:,} | `{path}` |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
