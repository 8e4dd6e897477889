"""A ticket's conversation with 10 and with 1,000 messages: median ms and SQL query count.

Usage: .venv/bin/python bench/conversation.py [--sizes 10 1000] [--runs 7]
(DATABASE_URL=postgres://... for PostgreSQL; a throwaway database, as bench/run.py uses)

Each thread alternates customer emails (with a quoted reply and a signature, which the page
folds), agent replies and, every tenth message, an internal note mentioning an agent.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - bench/run.py owns the throwaway database and the timer

CUSTOMER, SUPPORT = "claire@acme.example", "support@guichet.example"
CUSTOMER_BODY = (
    "Message {i}: the printer still shows error E{i}.\n\nBest regards,\nClaire\n\n"
    "On Mon, 1 Dec 2026 at 10:00, Support <support@guichet.example> wrote:\n"
    "> Could you try turning it off and on again?\n> Thanks\n"
)


def build_thread(ticket, count: int, agent) -> None:
    """`count` messages on `ticket`, as stored by the mail road (one timeline row each);
    inserted in bulk, since it is the page that is timed, not the writing."""
    import datetime

    from django.utils import timezone

    from ticketing.mail.choices import EmailDirection, EmailStatus
    from ticketing.mail.models import EmailMessage
    from ticketing.tickets.choices import TimelineKind, Visibility
    from ticketing.tickets.models import TimelineEntry

    start = timezone.now() - datetime.timedelta(minutes=count)
    emails, entries = [], []
    for i in range(count):
        at = start + datetime.timedelta(minutes=i)
        if i % 10 == 9:
            entries.append(
                TimelineEntry(ticket=ticket, kind=TimelineKind.NOTE, actor=agent, created_at=at,
                              visibility=Visibility.INTERNAL,
                              data={"body": f"Note {i} @{agent.username}",
                                    "mentions": [agent.pk], "unknown_mentions": []})
            )  # fmt: skip
            continue
        inbound = i % 2 == 0
        emails.append(
            EmailMessage(ticket=ticket, created_at=at, subject=f"[{ticket.number}] Printer",
                         direction=EmailDirection.INBOUND if inbound else EmailDirection.OUTBOUND,
                         status=EmailStatus.RECEIVED if inbound else EmailStatus.SENT,
                         from_address=CUSTOMER if inbound else SUPPORT,
                         to=[SUPPORT] if inbound else [CUSTOMER],
                         text_body=CUSTOMER_BODY.format(i=i) if inbound else f"Reply {i}.",
                         message_id=f"bench-{ticket.pk}-{i}@acme.example",
                         sent_by=None if inbound else agent)
        )  # fmt: skip
    EmailMessage.objects.bulk_create(emails)
    for email in EmailMessage.objects.filter(ticket=ticket):
        inbound = email.direction == EmailDirection.INBOUND
        entries.append(
            TimelineEntry(ticket=ticket, created_at=email.created_at,
                          kind=TimelineKind.EMAIL_IN if inbound else TimelineKind.EMAIL_OUT,
                          visibility=Visibility.PUBLIC, actor=None if inbound else agent,
                          data={"email_id": email.pk, "subject": email.subject,
                                "from": email.from_address, "to": email.to})
        )  # fmt: skip
    TimelineEntry.objects.bulk_create(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with bench.migrated_database() as database:
        from django.test import Client
        from django.urls import reverse

        from ticketing.tickets.models import Ticket
        from ticketing.tickets.services.tickets import open_ticket

        fx = bench.create_fixtures()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(fx.agents[0])
        print("# Ticket conversation with N messages\n")
        print(f"{bench.environment_line(database)}\n")
        print("| messages | median ms | min ms | SQL ms | SQL queries |")
        print("|---:|---:|---:|---:|---:|")
        for size in sorted(args.sizes):
            ticket = open_ticket(by=fx.agents[0], title=f"Thread of {size}", description="x",
                                 assigned_to=fx.agents[0])  # fmt: skip
            build_thread(ticket, size, fx.agents[0])
            url = reverse(Ticket.snippet_viewset.get_url_name("inspect"), args=[ticket.pk])
            m = bench.time_page(client, "conversation", "conversation", url, args.runs, None)
            print(f"| {size:,} | {m.median_ms:.1f} | {m.min_ms:.1f} | {m.sql_ms:.1f} | "
                  f"{m.queries}{' (varied)' if m.queries_varied else ''} |")  # fmt: skip


if __name__ == "__main__":
    main()
