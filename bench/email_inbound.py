"""Inbound email throughput: messages received per second, through the service and the webhook.

Usage: .venv/bin/python bench/email_inbound.py [--messages 300] [--tickets 1000] [--rounds 3]
(DATABASE_URL=postgres://... for PostgreSQL; a throwaway database, as bench/run.py uses)

On a table of --tickets tickets (each with one email we sent), each round feeds --messages
generated messages: half are replies that thread to an existing ticket by In-Reply-To (which
resumes a waiting ticket and reopens a closed one), half open new tickets (from known contacts
and from new senders); one message in ten carries a 20 KB PDF. The same kind of batch goes
once through `receive_email` (what `manage.py receive_email` does, minus the process start)
and once through the Postmark inbound webhook (HTTP basic auth, JSON, anymail's parsing).
"""

import argparse
import base64
import json
import random
import statistics
import sys
import time
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - bench/run.py owns the throwaway database

PDF = b"%PDF-1.4\n" + bytes(random.Random(0).randrange(256) for _ in range(20_000)) + b"\n%%EOF\n"
BODY = (
    "Hello,\n\nThe problem is still there this morning: {detail}\n"
    "Could you have another look?\n\nBest regards,\n{name}\n"
)


def our_message_id(ticket_pk: int) -> str:
    return f"bench-{ticket_pk}@guichet.example"


def give_threads(fx) -> list[tuple[str, str, str]]:
    """One sent email per ticket with a contact: (its Message-ID, contact address, number)."""
    from django.db import transaction

    from ticketing.mail.models import EmailMessage
    from ticketing.tickets.models import Ticket
    from ticketing.tickets.services.tickets import add_message

    tickets = list(Ticket.objects.filter(contact__isnull=False).select_related("contact"))
    agent = fx.agents[0]
    with transaction.atomic():
        for ticket in tickets:
            email = EmailMessage(
                direction="out",
                status="delivered",
                from_address="support@guichet.example",
                to=[ticket.contact.email],
                subject=f"[{ticket.number}] {ticket.title}",
                text_body="Could you tell us whether it works now?",
                message_id=our_message_id(ticket.pk),
                esp_message_id=f"esp-{ticket.pk}",
                sent_by=agent,
            )
            # Delivered already: stored through the ticket's road, not queued to be sent again.
            add_message(ticket, email, by=agent, direction="outbound")
    return [(our_message_id(t.pk), t.contact.email, t.number) for t in tickets]


def build_messages(count: int, threads, contacts, seed: int) -> list[bytes]:
    from django.utils import timezone

    rng = random.Random(seed)
    messages = []
    for i in range(count):
        mime = MimeMessage()
        if i % 2 == 0:  # a reply, threading by In-Reply-To
            message_id, address, number = rng.choice(threads)
            mime["From"] = f"Customer <{address}>"
            mime["Subject"] = f"Re: [{number}] still broken"
            mime["In-Reply-To"] = f"<{message_id}>"
            mime["References"] = f"<{message_id}>"
        elif i % 4 == 1:  # a new ticket from a known contact
            mime["From"] = f"Known Contact <{rng.choice(contacts).email}>"
            mime["Subject"] = f"New problem {seed}-{i}: the {rng.choice(bench.TITLE_SUBJECTS)}"
        else:  # a new ticket from someone new
            mime["From"] = f"New Person{i} <new{seed}-{i}@customer{i % 20}.example>"
            mime["Subject"] = f"First contact {seed}-{i}: {rng.choice(bench.TITLE_PROBLEMS)}"
        mime["To"] = "support@guichet.example"
        mime["Date"] = format_datetime(timezone.now())
        mime["Message-ID"] = f"<bench-in-{seed}-{i}@customer.example>"
        mime.set_content(BODY.format(detail=rng.choice(bench.DESCRIPTION_SENTENCES), name="Me"))
        if i % 10 == 9:
            mime.add_attachment(PDF, maintype="application", subtype="pdf", filename="scan.pdf")
        messages.append(mime.as_bytes())
    return messages


def through_service(raws: list[bytes]) -> list[float]:
    from anymail.inbound import AnymailInboundMessage

    from ticketing.mail.services.email_in import receive_email

    timings = []
    for raw in raws:
        start = time.perf_counter()
        if receive_email(AnymailInboundMessage.parse_raw_mime_bytes(raw)) is None:
            raise SystemExit("bench/email_inbound.py: a generated message was ignored")
        timings.append(time.perf_counter() - start)
    return timings


def through_webhook(raws: list[bytes]) -> list[float]:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    auth = "Basic " + base64.b64encode(settings.ANYMAIL["WEBHOOK_SECRET"].encode()).decode()
    timings = []
    for raw in raws:
        body = json.dumps({"MessageID": "bench", "RawEmail": raw.decode()})
        start = time.perf_counter()
        response = client.post(
            "/anymail/postmark/inbound/",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=auth,
        )
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"bench/email_inbound.py: the webhook answered {response.status_code}")
    return timings


class SqlCounter(bench.SqlTimer):
    """Counts the queries too (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return super().__call__(execute, sql, params, many, context)


def report(label: str, timings: list[float], sql: SqlCounter) -> None:
    count, total = len(timings), sum(timings)
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] * 1000
    print(
        f"| {label} | {count} | {count / total:.1f} | {statistics.median(timings) * 1000:.1f} | "
        f"{p95:.1f} | {sql.seconds * 1000 / count:.1f} | {sql.queries / count:.1f} |"
    )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--tickets", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3, help="batches per way in")
    args = parser.parse_args()

    with bench.migrated_database() as database:
        from django.conf import settings
        from django.db import connection
        from django.test import override_settings

        from ticketing.mail.models import EmailMessage
        from ticketing.tickets.models import Ticket

        # The batches replay hours of mail from a few hundred customers in seconds: the
        # per-sender limit stays on (its query is timed) but high enough to hold nobody.
        settings.GUICHET_INBOUND_MAX_PER_SENDER = 1_000_000
        # As in production, the worker's queue is in the database: a message's notifications
        # (and any email) are queued by the way in, and sent later by `db_worker`, not timed here.
        queue_in_database = override_settings(
            TASKS={
                **settings.TASKS,
                "email": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["email"]},
            }
        )
        queue_in_database.enable()
        fx = bench.create_fixtures()
        bench.grow_tickets(args.tickets, fx)
        threads = give_threads(fx)
        print("# Inbound email throughput\n")
        print(f"{bench.environment_line(database)}\n")
        print(f"{args.tickets:,} tickets, {len(threads):,} of them with a thread to reply to.\n")
        print(
            "| way in | messages | messages/s | median ms | p95 ms | SQL ms/message "
            "| SQL queries/message |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        seed = 0
        for label, feed in [("receive_email", through_service), ("webhook", through_webhook)]:
            for _ in range(args.rounds):
                seed += 1
                raws = build_messages(args.messages, threads, fx.contacts, seed)
                sql = SqlCounter()
                with connection.execute_wrapper(sql):
                    timings = feed(raws)
                report(label, timings, sql)
        received = EmailMessage.objects.filter(direction="in").count()
        print(f"\n{received:,} emails received; {Ticket.objects.count():,} tickets now.")


if __name__ == "__main__":
    main()
