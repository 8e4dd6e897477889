"""The public FAQ with N live FAQ pages: median ms and SQL query count of its pages and its API.

    .venv/bin/python bench/faq.py [--sizes 100 1000 10000] [--runs 7] [--method bulk|add_child]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/faq.py

A throwaway database, as bench/run.py makes it (SQLite file under bench/.data/, or on PostgreSQL
a database of its own, `guichet_bench_faq`, so that it never drops the one bench/run.py may be
using at the same time). `migrate` creates the home page, the FAQ index (/faq/) and the default
Site (hostname "localhost"); every request is anonymous, with HTTP_HOST="localhost".

For each size the FAQ index gets FAQ pages until it has N (a bigger size adds pages, it does not
start again), the search index is rebuilt with `update_index`, then each page is requested twice
to warm up and --runs times more (median wall ms, median SQL ms, SQL query count): the index's
first, middle and last page, three searches (a word in 1 page in 20, a word in none, a word in
about half), the first FAQ page, and the API listing and detail. On PostgreSQL, ANALYZE runs
after each size, as autovacuum would; on SQLite only with --analyze (Django never runs it).

--method bulk (the default) inserts the pages with computed tree paths (steplen 4, base 36):
`Page.objects.bulk_create` for the wagtailcore_page rows, then multi-row INSERTs of the
faq_faqpage rows (page_ptr_id, answer, category), then the index page's numchild. Django refuses
`bulk_create` on a multi-table child model, so the second INSERT goes through the same internal
`_insert` that `Model.save()` uses for each parent table. --method add_child creates each page
with `index.add_child()`, as the admin does (signals included: search index, reference index),
for comparison: about 20 ms a page against 0.3 ms.

Every twentieth page (i % 20 == 1, including the first, the one whose own page is timed) is
about a password; no other page contains the word. About half the answers contain "invoice".
One page in five has tags, one in ten has no category.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

BENCH_DIR = str(Path(__file__).resolve().parent)
sys.path.insert(0, BENCH_DIR)

import run as bench  # noqa: E402 - bench/run.py owns the throwaway database and the timer

# This file is bench/faq.py: with bench/ on the path, `import faq` would find it instead of the
# faq app. bench/run.py is imported now, so bench/ can leave the path.
sys.path[:] = [entry for entry in sys.path if entry not in (BENCH_DIR, "")]

# Its own PostgreSQL database: bench/run.py drops `guichet_bench` WITH (FORCE) when it starts.
bench.BENCH_PG_DATABASE = "guichet_bench_faq"

HOST = "localhost"  # the default Site the migrations create
SEARCH_WORD = "password"  # in the question and answer of 1 page in 20
COMMON_WORD = "invoice"  # in about half the answers (one of the eight steps, four are drawn)
NO_MATCH = "zzzz"
BATCH_SIZE = 2_000
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # Page.alphabet
STEPLEN = 4  # Page.steplen

# ----------------------------------------------------------------------------------------------
# Content: reproducible questions and answers (page i is always the same page)
# ----------------------------------------------------------------------------------------------

# 19 subjects; the 20th, SEARCH_WORD, is given to 1 page in 20.
SUBJECTS = [
    "invoice", "order", "parcel", "subscription", "router", "laptop", "printer", "mobile app",
    "delivery address", "refund", "warranty", "screen", "battery", "customer account",
    "payment card", "newsletter", "contract", "loyalty card", "email address",
]  # fmt: skip
QUESTIONS = [
    "How do I change my {s}?",
    "Why is my {s} not working?",
    "What should I do if my {s} is lost?",
    "Can I update my {s} online?",
    "How long does it take to replace a {s}?",
    "Who do I contact about my {s}?",
    "Is there a fee for changing my {s}?",
    "Where can I find my {s} details?",
]
ANSWER_OPENINGS = [
    "Most questions about your {s} can be solved in a few minutes from your customer area.",
    "This happens more often than you might think, and it is usually quick to fix.",
    "Our support team handles requests about your {s} every working day.",
    "Before you contact us, please check the points below about your {s}.",
]
ANSWER_STEPS = [
    "Sign in to your customer area.",
    "Open the <b>Settings</b> tab.",
    "Choose the {s} you want to change.",
    "Follow the instructions on the screen.",
    "Confirm with the code we send you by text message.",
    "Wait for the confirmation email, usually within five minutes.",
    "Restart the device and try again.",
    "Check that the reference on your last invoice matches.",
]
ANSWER_CLOSINGS = [
    "If the problem persists, open a ticket and quote your customer number.",
    "Changes are applied within one working day.",
    "You can also call us from Monday to Friday, 9 am to 6 pm.",
    "Keep the confirmation email: we may ask for it later.",
]
TAGS = [f"topic-{n:02d}" for n in range(30)]


def faq_content(i: int) -> tuple[str, str]:
    """(question, answer HTML) of FAQ page number i (1-based)."""
    rng = random.Random(i)
    subject = SEARCH_WORD if i % 20 == 1 else rng.choice(SUBJECTS)
    question = rng.choice(QUESTIONS).format(s=subject)
    steps = "".join(f"<li>{step.format(s=subject)}</li>" for step in rng.sample(ANSWER_STEPS, k=4))
    answer = (
        f"<p>{rng.choice(ANSWER_OPENINGS).format(s=subject)}</p>"
        f"<ol>{steps}</ol>"
        f"<p>{rng.choice(ANSWER_CLOSINGS)}</p>"
    )
    return question, answer


def faq_slug(i: int, question: str) -> str:
    from django.utils.text import slugify

    return f"{slugify(question)[:50].rstrip('-')}-{i}"


def category_for(i: int, categories: list):
    return None if i % 10 == 0 else categories[i % len(categories)]


# ----------------------------------------------------------------------------------------------
# Growing the FAQ
# ----------------------------------------------------------------------------------------------


def encode_step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    if len(digits) > STEPLEN:
        raise SystemExit("bench/faq.py: more children than a 4-character tree step can hold")
    return digits.rjust(STEPLEN, "0")


def faq_index():
    from faq.models import FAQIndexPage

    return FAQIndexPage.objects.order_by("path").first()


def english_categories() -> list:
    from faq.models import FAQCategory

    return list(FAQCategory.objects.filter(locale__language_code="en").order_by("name"))


def grow_bulk(index, first: int, last: int, categories: list) -> None:
    """Pages first..last under `index`, inserted with computed tree paths."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    from faq.models import FAQPage

    content_type = ContentType.objects.get_for_model(FAQPage)
    last_child = (
        Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = int(last_child[-STEPLEN:], len(ALPHABET)) if last_child else 0
    now = timezone.now()
    local_fields = FAQPage._meta.local_concrete_fields  # page_ptr, answer, category
    for start in range(first, last + 1, BATCH_SIZE):
        stop = min(start + BATCH_SIZE - 1, last)
        pages = []
        for i in range(start, stop + 1):
            step += 1
            question, answer = faq_content(i)
            slug = faq_slug(i, question)
            published = now - timedelta(minutes=i)
            pages.append(
                FAQPage(
                    title=question,
                    draft_title=question,
                    slug=slug,
                    content_type=content_type,
                    path=index.path + encode_step(step),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    locale_id=index.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    answer=answer,
                    category=category_for(i, categories),
                )
            )
        with transaction.atomic():
            # FAQPage instances carry every Page field: bulk_create on Page inserts the parent
            # rows and sets their ids; the child rows then point at them.
            Page.objects.bulk_create(pages, batch_size=500)
            for page in pages:
                page.page_ptr_id = page.id
            for chunk in range(0, len(pages), 500):
                FAQPage._base_manager._insert(
                    pages[chunk : chunk + 500], fields=local_fields, returning_fields=None
                )
            Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
    index.refresh_from_db()


def grow_add_child(index, first: int, last: int, categories: list) -> None:
    """Pages first..last under `index`, one `add_child` each (what the admin does)."""
    from django.db import transaction
    from django.utils import timezone

    from faq.models import FAQPage

    now = timezone.now()
    for start in range(first, last + 1, 500):
        with transaction.atomic():
            for i in range(start, min(start + 499, last) + 1):
                question, answer = faq_content(i)
                published = now - timedelta(minutes=i)
                index.add_child(
                    instance=FAQPage(
                        title=question,
                        slug=faq_slug(i, question),
                        live=True,
                        first_published_at=published,
                        last_published_at=published,
                        answer=answer,
                        category=category_for(i, categories),
                    )
                )


def tag_pages(first: int, last: int) -> None:
    """Tags on one page in five (i % 5 == 1, so the timed page has some)."""
    from taggit.models import Tag

    from faq.models import FAQPage, FAQPageTag

    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
    missing = [Tag(name=name, slug=name) for name in TAGS if name not in tags]
    for tag in Tag.objects.bulk_create(missing):
        tags[tag.name] = tag
    slugs = {faq_slug(i, faq_content(i)[0]): i for i in range(first, last + 1) if i % 5 == 1}
    ids = dict(FAQPage.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    links = []
    for slug, i in slugs.items():
        rng = random.Random(-i)
        for name in rng.sample(TAGS, k=rng.randint(1, 3)):
            links.append(FAQPageTag(content_object_id=ids[slug], tag=tags[name]))
    FAQPageTag.objects.bulk_create(links, batch_size=1_000)


def grow_faq(target: int, method: str) -> tuple[float, int]:
    """Bring the FAQ index to `target` pages; return (seconds, pages added)."""
    from django.db import connection

    from faq.models import FAQPage

    index = faq_index()
    existing = FAQPage.objects.child_of(index).count()
    if existing >= target:
        return 0.0, 0
    first = existing + 1
    start = time.perf_counter()
    grow = grow_bulk if method == "bulk" else grow_add_child
    grow(index, first, target, english_categories())
    tag_pages(first, target)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would have done by then
    return time.perf_counter() - start, target - existing


def rebuild_search_index(sqlite_analyze: bool) -> float:
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("update_index", verbosity=0)
    if connection.vendor == "postgresql" or sqlite_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - start


# ----------------------------------------------------------------------------------------------
# Measurement
# ----------------------------------------------------------------------------------------------


def measure_size(client, runs: int, timed_page) -> list:
    from django.core.paginator import Paginator

    from faq.models import FAQIndexPage

    index = faq_index()
    per_page = FAQIndexPage.per_page
    pages_qs = index.faq_pages()
    total = pages_qs.count()
    found = pages_qs.search(SEARCH_WORD).count()
    common = pages_qs.search(COMMON_WORD).count()
    last_page = Paginator(range(total), per_page).num_pages
    middle_page = (last_page + 1) // 2
    base = index.get_url(None)  # "/faq/"
    pages = [
        ("index", "FAQ index, first page", base, total),
        ("middle", f"FAQ index, page {middle_page}", f"{base}?page={middle_page}", total),
        ("last", f"FAQ index, last page ({last_page})", f"{base}?page={last_page}", total),
        ("search", f"FAQ search q={SEARCH_WORD}", f"{base}?q={SEARCH_WORD}", found),
        ("no match", f"FAQ search q={NO_MATCH}", f"{base}?q={NO_MATCH}", 0),
        ("common word", f"FAQ search q={COMMON_WORD}", f"{base}?q={COMMON_WORD}", common),
        ("faq page", "one FAQ page", timed_page.get_url(None), None),
        ("api list", "API listing, limit=20", "/api/v2/faq/?limit=20", total),
        ("api detail", "API detail", f"/api/v2/faq/{timed_page.pk}/", None),
    ]
    return [bench.time_page(client, key, label, url, runs, rows) for key, label, url, rows in pages]


def print_size_table(size: int, measures: list, runs: int) -> None:
    print(f"\n### {size:,} FAQ pages (median of {runs} runs after {bench.WARMUPS} warm-ups)\n")
    print("| page | URL | rows matching | median ms | min ms | SQL ms | SQL queries |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for m in measures:
        rows = f"{m.rows:,}" if m.rows is not None else "—"
        queries = f"{m.queries}{' (varied)' if m.queries_varied else ''}"
        print(
            f"| {m.label} | `{m.url}` | {rows} | {m.median_ms:.1f} | {m.min_ms:.1f} "
            f"| {m.sql_ms:.1f} | {queries} |"
        )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (median)")
    parser.add_argument("--method", choices=["bulk", "add_child"], default="bulk")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="on SQLite too, run ANALYZE after each size (PostgreSQL always gets it)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    if sizes[0] < 1 or args.runs < 1:
        parser.error("sizes and runs must be positive")

    database = bench.BenchDatabase.from_environment()
    database.create()
    try:
        bench.configure_django(database)
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client

        from faq.models import FAQPage

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"# Guichet FAQ benchmark\n\n{bench.environment_line(database)}")
        analyze = args.analyze or database.engine != "sqlite"
        print(f"migrate: {time.perf_counter() - started:.1f} s; pages created with --method "
              f"{args.method}; ANALYZE after each size: {'yes' if analyze else 'no'}")  # fmt: skip
        client = Client(HTTP_HOST=HOST)  # anonymous

        results: dict[int, list] = {}
        timings: dict[int, dict] = {}
        timed_page = None
        for size in sizes:
            seconds, added = grow_faq(size, args.method)
            index_seconds = rebuild_search_index(args.analyze)
            timings[size] = {"create_s": seconds, "added": added, "update_index_s": index_seconds}
            print(f"\ngrew the FAQ to {size:,} pages (+{added:,}) in {seconds:.1f} s "
                  f"({seconds / max(added, 1) * 1000:.2f} ms a page); "
                  f"update_index over all {size:,} pages: {index_seconds:.1f} s")  # fmt: skip
            if timed_page is None:  # the first page, timed at every size
                timed_page = FAQPage.objects.order_by("path").first()
            results[size] = measure_size(client, args.runs, timed_page)
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"\n(load average after measuring: {load})")
            print_size_table(size, results[size], args.runs)

        if len(sizes) > 1:
            bench.print_summary(results)
        if args.json:
            payload = {
                "environment": bench.environment_line(database),
                "runs": args.runs,
                "method": args.method,
                "analyze": analyze,
                "timings": {str(s): t for s, t in timings.items()},
                "results": {str(s): [m.__dict__ for m in ms] for s, ms in results.items()},
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
