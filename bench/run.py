"""Scale benchmark: time the ticket admin pages and count their SQL queries at N tickets.

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000] [--runs 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py

The benchmark never touches a developer's database. It works in its own throwaway one:
  - SQLite (default): a temporary file under bench/.data/, deleted at the end;
  - PostgreSQL (DATABASE_URL=postgres://…): a database named `guichet_bench` on the same server,
    created (dropped first if left over) through the server's `postgres` database and dropped at
    the end. Only the host, port, user and password of DATABASE_URL are used.

For each size it grows the ticket table to N rows with bulk inserts (1,000 → 10,000 → 100,000
adds rows, it does not regenerate), then requests each admin page twice to warm up and --runs
times more, and prints the median time, the SQL time and the SQL query count of each page.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
BENCH_PG_DATABASE = "guichet_bench"
BATCH_SIZE = 5_000
PER_PAGE = 50  # TicketViewSet.list_per_page
WARMUPS = 2  # untimed requests before the timed ones, per page and size
SEARCH_WORD = "printer"  # in about one title in 12 (see TITLE_SUBJECTS)

# ----------------------------------------------------------------------------------------------
# The throwaway database, chosen before Django reads its settings.
# ----------------------------------------------------------------------------------------------


@dataclass
class BenchDatabase:
    engine: str  # "sqlite" or "postgresql"
    url: str  # what Django gets through DATABASE_URL
    sqlite_path: Path | None = None
    admin_conninfo: dict = field(default_factory=dict)  # psycopg kwargs for the `postgres` db

    @classmethod
    def from_environment(cls) -> BenchDatabase:
        source = os.environ.get("DATABASE_URL", "")
        scheme = urlsplit(source).scheme if source else "sqlite"
        if scheme.startswith("postgres"):
            parts = urlsplit(source)
            conninfo = {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": parts.username or "postgres",
                "dbname": "postgres",
            }
            if parts.password:
                conninfo["password"] = parts.password
            url = urlunsplit(parts._replace(path=f"/{BENCH_PG_DATABASE}", query=""))
            return cls(engine="postgresql", url=url, admin_conninfo=conninfo)
        if scheme != "sqlite":
            raise SystemExit(f"bench/run.py: unsupported DATABASE_URL scheme {scheme!r}")
        data_dir = BENCH_DIR / ".data"
        data_dir.mkdir(exist_ok=True)
        path = data_dir / f"bench-{os.getpid()}.sqlite3"
        return cls(engine="sqlite", url=f"sqlite:///{path}", sqlite_path=path)

    def create(self) -> None:
        if self.engine == "sqlite":
            self._remove_sqlite_files()
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(**self.admin_conninfo, autocommit=True) as conn:
            name = sql.Identifier(BENCH_PG_DATABASE)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))

    def drop(self) -> None:
        if self.engine == "sqlite":
            self._remove_sqlite_files()
            return
        import psycopg
        from psycopg import sql

        with psycopg.connect(**self.admin_conninfo, autocommit=True) as conn:
            name = sql.Identifier(BENCH_PG_DATABASE)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    def _remove_sqlite_files(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)

    def describe(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite file {self.sqlite_path.relative_to(PROJECT_DIR)}"
        return f"PostgreSQL database {BENCH_PG_DATABASE!r} on {self.admin_conninfo['host']}"


@contextmanager
def migrated_database() -> Iterator[BenchDatabase]:
    """The throwaway database, created, with Django set up on it and migrated; dropped at the
    end of the block whatever happens."""
    database = BenchDatabase.from_environment()
    database.create()
    try:
        configure_django(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        yield database
    finally:
        database.drop()


def configure_django(database: BenchDatabase) -> None:
    # The test settings: DEBUG off (no query log kept by Django itself), ALLOWED_HOSTS = ["*"],
    # local-memory cache, email kept in memory. base.py reads DATABASE_URL, so pointing it at the
    # throwaway database before django.setup() is all it takes to leave db.sqlite3 alone.
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
        "BENCH_SETTINGS_MODULE", "config.settings.test"
    )
    os.environ["DATABASE_URL"] = database.url
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()

    from django.conf import settings

    configured = settings.DATABASES["default"]
    expected = str(database.sqlite_path) if database.engine == "sqlite" else BENCH_PG_DATABASE
    if str(configured["NAME"]) != expected:  # never benchmark against someone's real data
        raise SystemExit(f"bench/run.py: refusing to run against {configured['NAME']!r}")


# ----------------------------------------------------------------------------------------------
# Data generation
# ----------------------------------------------------------------------------------------------

AGENT_COUNT = 10
PRODUCT_COUNT = 50
ACCOUNT_COUNT = 200
CONTACT_COUNT = 200

TITLE_SUBJECTS = [
    "printer", "invoice", "parcel", "password", "laptop", "screen", "order", "refund",
    "subscription", "router", "mobile app", "delivery note",
]  # fmt: skip
TITLE_PROBLEMS = [
    "does not work", "arrived damaged", "was charged twice", "is missing", "keeps crashing",
    "cannot be found", "is very slow", "shows an error", "needs replacing", "was never received",
]  # fmt: skip
DESCRIPTION_SENTENCES = [
    "The customer called this morning and was quite upset.",
    "It started after the last update, according to the customer.",
    "Several colleagues on the same site report the same thing.",
    "A workaround was suggested but did not help.",
    "The customer asks for a call back before the end of the week.",
    "Photos of the problem are attached to the original email.",
    "This is the second time this month the problem happens.",
    "The serial number was checked against the delivery note.",
]
SOLUTION = "Replaced the faulty part and confirmed with the customer that it works again."

# (status, weight): most tickets of a mature help desk are closed.
STATUS_WEIGHTS = [("open", 25), ("in_progress", 20), ("waiting", 10), ("closed", 45)]
PRIORITY_WEIGHTS = [("low", 20), ("normal", 50), ("high", 22), ("urgent", 8)]


@dataclass
class Fixtures:
    superuser: object
    agents: list
    categories: list
    products: list
    accounts: list
    contacts: list


def create_fixtures() -> Fixtures:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ticketing.parties.models import Account, Contact, Product
    from ticketing.tickets.models import TicketCategory

    User = get_user_model()  # noqa: N806 - a class, named like one
    superuser = User.objects.create_superuser("bench-admin", "bench-admin@example.com", None)
    agent_group = Group.objects.get(name="Support agents")
    agents = User.objects.bulk_create(
        User(
            username=f"agent{i:02d}",
            first_name=f"Agent{i:02d}",
            last_name="Bench",
            email=f"agent{i:02d}@example.com",
            is_staff=False,
        )
        for i in range(1, AGENT_COUNT + 1)
    )
    agent_group.user_set.add(*agents)
    products = Product.objects.bulk_create(
        Product(name=f"Product {i:03d}", code=f"P{i:03d}") for i in range(1, PRODUCT_COUNT + 1)
    )
    accounts = Account.objects.bulk_create(
        Account(name=f"Account {i:03d}", email=f"account{i:03d}@example.com")
        for i in range(1, ACCOUNT_COUNT + 1)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name=f"First{i:03d}",
            last_name=f"Last{i:03d}",
            email=f"contact{i:03d}@example.com",
            account=accounts[i % ACCOUNT_COUNT],
        )
        for i in range(1, CONTACT_COUNT + 1)
    )
    return Fixtures(
        superuser=superuser,
        agents=agents,
        categories=list(TicketCategory.objects.all()),
        products=products,
        accounts=accounts,
        contacts=contacts,
    )


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def build_ticket(i: int, fx: Fixtures, now):
    """Ticket number i, reproducible: the same i always gives the same ticket."""
    from ticketing.common.numbering import format_ticket_number
    from ticketing.tickets.models import Ticket

    rng = random.Random(i)
    status = _weighted(rng, STATUS_WEIGHTS)
    contact = rng.choice(fx.contacts) if rng.random() < 0.6 else None
    account = contact.account if contact else rng.choice(fx.accounts)
    created_by = rng.choice(fx.agents)
    return Ticket(
        number=format_ticket_number(i),
        sequence=i,
        title=f"{rng.choice(TITLE_SUBJECTS).capitalize()} {rng.choice(TITLE_PROBLEMS)}",
        # FSMField(protected=True): the status can only be given to the constructor.
        status=status,
        priority=_weighted(rng, PRIORITY_WEIGHTS),
        category=rng.choice(fx.categories) if rng.random() < 0.9 else None,
        assigned_to=rng.choice(fx.agents) if rng.random() < 0.85 else None,
        product=rng.choice(fx.products) if rng.random() < 0.7 else None,
        account=account,
        contact=contact,
        description=" ".join(rng.sample(DESCRIPTION_SENTENCES, k=3)),
        solution=SOLUTION if status == "closed" else "",
        created_by=created_by,
        closed_at=now - timedelta(minutes=i % 50_000) if status == "closed" else None,
    )


def grow_tickets(target: int, fx: Fixtures) -> float:
    """Bulk-insert tickets until there are `target`; return the seconds it took.

    Not through `open_ticket`, the road every real ticket takes: a million of them one by one
    (a counter lock, a history entry and an event each) would take hours, and the tickets
    only need to exist for the pages to be timed. They come in every status, as if they had
    lived; those the bench opens afterwards go through the road and continue the numbering.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from ticketing.common.numbering import NumberCounter
    from ticketing.tickets.models import Ticket

    start = time.perf_counter()
    existing = Ticket.objects.count()
    now = timezone.now()
    for first in range(existing + 1, target + 1, BATCH_SIZE):
        last = min(first + BATCH_SIZE - 1, target)
        with transaction.atomic():
            Ticket.objects.bulk_create(
                [build_ticket(i, fx, now) for i in range(first, last + 1)], batch_size=1_000
            )
    # Later tickets, opened through `open_ticket`, continue the sequence.
    NumberCounter.objects.update_or_create(name=Ticket.number_sequence, defaults={"value": target})
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time a real table reached this size.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - start


def give_history(ticket, user) -> None:
    """A few status changes on the ticket whose pages are timed, so its timeline is not empty."""
    from ticketing.tickets.services.transitions import apply_transition

    for name in ("reopen", "start", "wait_for_response", "resume"):
        if name == "reopen" and ticket.status != "closed":
            continue
        ticket = apply_transition(ticket, name, user, comment=f"bench: {name}")


# ----------------------------------------------------------------------------------------------
# Measurement
# ----------------------------------------------------------------------------------------------


@dataclass
class Measure:
    key: str
    label: str
    url: str
    median_ms: float
    min_ms: float
    sql_ms: float  # median over the runs of the time spent inside the database driver
    queries: int
    queries_varied: bool
    rows: int | None = None  # rows matching (listings)


class SqlTimer:
    """Adds up the time spent executing SQL (finer than CaptureQueriesContext's rounded times)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def time_page(client, key: str, label: str, url: str, runs: int, rows: int | None) -> Measure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUPS):  # templates, caches, the database's page cache and plan cache
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench/run.py: GET {url} answered {response.status_code}, not 200")
    timings, sql_timings, counts = [], [], set()
    for _ in range(runs):
        gc.collect()  # do not bill one request for the garbage of the previous one
        timer = SqlTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"bench/run.py: GET {url} answered {response.status_code}, not 200")
        timings.append(elapsed * 1000)
        sql_timings.append(timer.seconds * 1000)
        counts.add(len(captured.captured_queries))
    return Measure(
        key=key,
        label=label,
        url=url,
        median_ms=statistics.median(timings),
        min_ms=min(timings),
        sql_ms=statistics.median(sql_timings),
        queries=max(counts),
        queries_varied=len(counts) > 1,
        rows=rows,
    )


def measure_size(client, runs: int, detail_pk: int, extra: bool) -> list[Measure]:
    from django.db.models import Q

    from ticketing.tickets.models import Ticket

    base = "/admin/snippets/tickets/ticket/"
    tickets = Ticket.objects.all()
    total = tickets.count()
    found = tickets.filter(
        Q(number__icontains=SEARCH_WORD)
        | Q(title__icontains=SEARCH_WORD)
        | Q(description__icontains=SEARCH_WORD)
    ).count()
    last_page = max(1, math.ceil(total / PER_PAGE))
    pages = [
        ("first", "listing, first page", base, total),
        (
            "filtered",
            "listing, status=open & priority=high",
            f"{base}?status=open&priority=high",
            tickets.filter(status="open", priority="high").count(),
        ),
        ("search", f"listing, search q={SEARCH_WORD}", f"{base}?q={SEARCH_WORD}", found),
        ("last", f"listing, last page (p={last_page})", f"{base}?p={last_page}", total),
        ("inspect", "ticket inspect", f"{base}inspect/{detail_pk}/", None),
        ("edit", "ticket edit", f"{base}edit/{detail_pk}/", None),
    ]
    if extra:
        pages += [
            (
                "closed",
                "extra: listing, status=closed",
                f"{base}?status=closed",
                tickets.filter(status="closed").count(),
            ),
            (
                "by category",
                "extra: listing, sorted by category",
                f"{base}?ordering=category__name",
                total,
            ),
        ]
    return [time_page(client, key, label, url, runs, rows) for key, label, url, rows in pages]


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------


def print_size_table(size: int, measures: list[Measure], runs: int) -> None:
    print(f"\n### {size:,} tickets (median of {runs} runs after {WARMUPS} warm-ups)\n")
    print("| page | rows matching | median ms | min ms | SQL ms | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for m in measures:
        rows = f"{m.rows:,}" if m.rows is not None else "—"
        queries = f"{m.queries}{' (varied)' if m.queries_varied else ''}"
        print(
            f"| {m.label} | {rows} | {m.median_ms:.1f} | {m.min_ms:.1f} | {m.sql_ms:.1f} "
            f"| {queries} |"
        )
    sys.stdout.flush()


def print_summary(results: dict[int, list[Measure]]) -> None:
    sizes = sorted(results)
    smallest, largest = sizes[0], sizes[-1]
    ratio_head = f"ratio {largest:,}/{smallest:,}"
    print("\n### Summary: median ms / SQL ms (queries)\n")
    print(f"| page | {' | '.join(f'{s:,}' for s in sizes)} | {ratio_head} | SQL {ratio_head} |")
    print("|---|" + "---:|" * (len(sizes) + 2))
    for index, first in enumerate(results[smallest]):
        cells = [
            f"{results[s][index].median_ms:.1f} / {results[s][index].sql_ms:.1f} "
            f"({results[s][index].queries})"
            for s in sizes
        ]
        big = results[largest][index]
        ratio = big.median_ms / first.median_ms
        sql_ratio = big.sql_ms / first.sql_ms if first.sql_ms else float("nan")
        print(f"| {first.key} | {' | '.join(cells)} | {ratio:.2f}× | {sql_ratio:.1f}× |")
    sys.stdout.flush()


def environment_line(database: BenchDatabase) -> str:
    import django
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    return (
        f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"Django {django.get_version()} · Wagtail {wagtail.__version__} · {db} "
        f"({database.describe()})"
    )


# ----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (median)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--no-extra", action="store_true", help="skip the extra pages (status=closed, sorting)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the throwaway database (to poke at it)"
    )
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1 or args.runs < 1:
        parser.error("sizes and runs must be positive")

    database = BenchDatabase.from_environment()
    database.create()
    try:
        configure_django(database)
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client

        from ticketing.tickets.models import Ticket

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"# Guichet scale benchmark\n\n{environment_line(database)}")
        print(f"migrate: {time.perf_counter() - started:.1f} s")

        fx = create_fixtures()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(fx.superuser)

        results: dict[int, list[Measure]] = {}
        detail_pk = None
        for size in sizes:
            seconds = grow_tickets(size, fx)
            print(f"\ngrew the ticket table to {size:,} rows in {seconds:.1f} s")
            if detail_pk is None:
                # The oldest ticket, timed at every size: the same row, a growing table.
                ticket = Ticket.objects.order_by("sequence").first()
                give_history(ticket, fx.agents[0])
                detail_pk = ticket.pk
            results[size] = measure_size(client, args.runs, detail_pk, not args.no_extra)
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"\n(load average after measuring: {load})")
            print_size_table(size, results[size], args.runs)

        if len(sizes) > 1:
            print_summary(results)
        if args.json:
            payload = {
                "environment": environment_line(database),
                "runs": args.runs,
                "results": {
                    str(size): [m.__dict__ for m in measures] for size, measures in results.items()
                },
            }
            args.json.write_text(json.dumps(payload, indent=2))
        connections.close_all()
    finally:
        if args.keep:
            print(f"\nkept {database.describe()}")
        else:
            database.drop()


if __name__ == "__main__":
    main()
