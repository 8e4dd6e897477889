"""Receive one raw email into the tickets, from a file or from a mail server's pipe."""

import sys

from anymail.inbound import AnymailInboundMessage
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ticketing.mail.services.email_in import InboundEmailRejected, Outcome, file_inbound_email
from ticketing.mail.services.inbound_checks import MAX_MIME_DEPTH, raw_mime_depth

# sysexits.h, which mail servers read: a pipe that exits 75 has its message delivered again
# later; any other failure is bounced to the sender.
EX_DATAERR = 65
EX_NOINPUT = 66
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Receive one raw RFC 822 email into the tickets, read from PATH or from standard input "
        "(no PATH, or '-'). Exits 65 for a malformed or oversized message, 66 for an unreadable "
        "file and 75 when the database is unavailable (a mail server then retries)."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default="-", help="the .eml file, or '-'")

    def handle(self, *args, path: str, **options) -> None:
        raw = self.read(path, options.get("stdin") or sys.stdin.buffer)
        if not raw.strip():
            raise CommandError("The input is empty: no email to receive.", returncode=EX_DATAERR)
        # The MIME parser recurses once per level: measure the nesting before it runs.
        if raw_mime_depth(raw) > MAX_MIME_DEPTH:
            raise CommandError(
                f"Email refused: its parts nest more than {MAX_MIME_DEPTH} levels deep.",
                returncode=EX_DATAERR,
            )
        try:
            receipt = file_inbound_email(AnymailInboundMessage.parse_raw_mime_bytes(raw))
        except InboundEmailRejected as error:
            raise CommandError(f"Email refused: {error}", returncode=EX_DATAERR) from error
        except RecursionError as error:
            raise CommandError(
                "Email refused: its structure is nested too deep to read.", returncode=EX_DATAERR
            ) from error
        except DatabaseError as error:
            raise CommandError(f"Database unavailable: {error}", returncode=EX_TEMPFAIL) from error
        email = receipt.email
        held = ", held for an agent" if email and email.flagged else ""
        if receipt.outcome == Outcome.NEW_TICKET:
            self.stdout.write(f"New ticket {email.ticket.number} opened{held} (email {email.pk}).")
        elif receipt.outcome == Outcome.ADDED_TO_TICKET:
            flag = " from an address unknown to the ticket" if email.unknown_sender else ""
            self.stdout.write(
                f"Stored on ticket {email.ticket.number}{flag}{held} (email {email.pk})."
            )
        elif receipt.outcome == Outcome.AUTOMATED:
            self.stdout.write(
                f"Ignored as an auto-reply or bounce ({receipt.reason}), kept as email {email.pk}."
            )
        elif receipt.outcome == Outcome.BOUNCE:
            self.stdout.write(
                f"A bounce of email {email.bounce_of_id}, now marked bounced "
                f"(kept as email {email.pk})."
            )
        elif receipt.outcome == Outcome.QUARANTINED:
            self.stdout.write(f"Quarantined: {receipt.reason} (email {email.pk}).")
        elif receipt.outcome == Outcome.OWN_ADDRESS:
            self.stdout.write(
                f"Ignored: sent from our own address {receipt.reason}, kept as email {email.pk}."
            )
        else:
            self.stdout.write(f"Ignored as a duplicate: Message-ID {receipt.reason} is stored.")

    def read(self, path: str, stdin) -> bytes:
        # One byte over the limit is enough to refuse, without reading a huge input whole.
        limit = settings.GUICHET_INBOUND_MAX_BYTES
        try:
            if path == "-":
                raw = stdin.read(limit + 1)
            else:
                with open(path, "rb") as file:
                    raw = file.read(limit + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}", returncode=EX_NOINPUT) from error
        if len(raw) > limit:
            raise CommandError(
                f"Email refused: larger than {limit:,} bytes (GUICHET_INBOUND_MAX_BYTES).",
                returncode=EX_DATAERR,
            )
        return raw
