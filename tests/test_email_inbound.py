"""Receiving email into tickets: the service, the command and the webhook, on a MIME corpus."""

import base64
import hashlib
import io
import json
import uuid
from pathlib import Path

import pytest
from anymail.inbound import AnymailInboundMessage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AccountFactory, ContactFactory, TicketFactory
from tests.timeline_rows import status_changes
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import (
    InboundEmailTooLarge,
    Outcome,
    automated_reason,
    file_inbound_email,
    receive_email,
)
from ticketing.parties.models import Contact
from ticketing.records.documents import ticket_documents
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "email"
OUR_MESSAGE_ID = "173262848012.4711.9000000000000000042@guichet.example"
WEBHOOK_AUTH = "Basic " + base64.b64encode(b"test-esp:test-webhook-secret").decode()
INBOUND_URL = "/anymail/postmark/inbound/"


def eml(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def parse(raw: bytes) -> AnymailInboundMessage:
    return AnymailInboundMessage.parse_raw_mime_bytes(raw)


def receive(name: str):
    return receive_email(parse(eml(name)))


def with_header(raw: bytes, name: str, value: str) -> bytes:
    return f"{name}: {value}\n".encode() + raw


def replace_header(raw: bytes, name: str, value: str | None) -> bytes:
    head, _, body = raw.partition(b"\n\n")
    lines = [
        line
        for line in head.split(b"\n")
        if not line.lower().startswith(name.lower().encode() + b":")
    ]
    if value is not None:
        lines.append(f"{name}: {value}".encode())
    return b"\n".join(lines) + b"\n\n" + body


def postmark_payload(raw: bytes) -> dict:
    """What Postmark posts with "Include raw email content" on (the parsed fields abridged)."""
    message = parse(raw)
    return_path = message.get("Return-Path", "")
    return {
        "FromFull": {
            "Email": message.from_email.addr_spec,
            "Name": message.from_email.display_name,
        },
        "Subject": message.get("Subject", ""),
        "MessageID": str(uuid.uuid4()),
        "Headers": [{"Name": "Return-Path", "Value": return_path}] if return_path else [],
        "RawEmail": raw.decode("utf-8"),
    }


def post_inbound(client, raw: bytes):
    return client.post(
        INBOUND_URL,
        data=json.dumps(postmark_payload(raw)),
        content_type="application/json",
        HTTP_AUTHORIZATION=WEBHOOK_AUTH,
    )


@pytest.fixture
def claire(db):
    return ContactFactory(
        first_name="Claire", last_name="Martin", email="claire.martin@example.com"
    )


@pytest.fixture
def ticket42(claire):
    """TT-000042, waiting for Claire's answer to the email we sent her."""
    ticket = TicketFactory(
        number="TT-000042",
        title="Printer on the 3rd floor does not print",
        contact=claire,
        account=claire.account,
        status="waiting",
    )
    EmailMessage.objects.create(
        ticket=ticket,
        direction="out",
        status="sent",
        from_address="support@guichet.example",
        to=["claire.martin@example.com"],
        subject="[TT-000042] Printer on the 3rd floor does not print",
        text_body="Could you install the driver from the link below and tell us if it helps?",
        message_id=OUR_MESSAGE_ID,
        esp_message_id="b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
    )
    return ticket


def close(ticket: Ticket) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(status="closed", solution="Driver reinstalled.")
    ticket.refresh_from_db()
    return ticket


# ----------------------------------------------------------------------------------------------
# The corpus, through the command and through the webhook: the same handler, the same result
# ----------------------------------------------------------------------------------------------

# file: (outcome, ticket it lands on — "new" or a number, documents kept, unknown sender)
EXPECTED = {
    "plain_text.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "html_only.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "multipart_alternative.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "inline_image.eml": (Outcome.NEW_TICKET, "new", 1, False),
    "attachment_pdf.eml": (Outcome.NEW_TICKET, "new", 1, False),
    "iso_8859_1.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "quoted_printable.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "forwarded_thread.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "forwarded_as_attachment.eml": (Outcome.NEW_TICKET, "new", 1, False),
    "html_script.eml": (Outcome.NEW_TICKET, "new", 0, False),
    "auto_reply.eml": (Outcome.AUTOMATED, None, 0, False),
    "out_of_office.eml": (Outcome.AUTOMATED, None, 0, False),
    "bounce.eml": (Outcome.BOUNCE, None, 0, False),
    "reply_in_reply_to.eml": (Outcome.ADDED_TO_TICKET, "TT-000042", 0, False),
    "reply_token_only.eml": (Outcome.ADDED_TO_TICKET, "TT-000042", 0, False),
    "reply_unknown_sender.eml": (Outcome.ADDED_TO_TICKET, "TT-000042", 0, True),
}


def test_the_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(path.name for path in CORPUS.glob("*.eml"))


def check_received(name: str, ticket42: Ticket, tickets_before: int) -> None:
    outcome, number, documents, unknown = EXPECTED[name]
    received = EmailMessage.objects.filter(direction="in")
    if outcome in (Outcome.AUTOMATED, Outcome.BOUNCE):
        # Kept for a manager to see, with its raw message, but on no ticket.
        ignored = received.get()
        assert (ignored.status, ignored.ticket) == ("ignored", None)
        assert ignored.raw_message is not None
        assert Ticket.objects.count() == tickets_before
        ticket42.refresh_from_db()
        assert ticket42.status == "waiting"
        return
    email = received.get()
    assert email.status == "received"
    assert email.unknown_sender is unknown
    assert email.attachments.count() == documents
    assert ticket_documents(email.ticket).count() == documents
    if number == "new":
        assert Ticket.objects.count() == tickets_before + 1
        assert email.ticket.number != "TT-000042"
    else:
        assert email.ticket.number == number
        assert Ticket.objects.count() == tickets_before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_through_the_command(name, ticket42, tmp_path):
    before = Ticket.objects.count()
    out = io.StringIO()
    call_command("receive_email", str(CORPUS / name), stdout=out)
    check_received(name, ticket42, before)
    words = {
        Outcome.NEW_TICKET: "New ticket TT-",
        Outcome.ADDED_TO_TICKET: "Stored on ticket TT-000042",
        Outcome.AUTOMATED: "Ignored as an auto-reply or bounce",
        Outcome.BOUNCE: "A bounce of email",
    }
    assert words[EXPECTED[name][0]] in out.getvalue()


def fits_in_json(name: str) -> bool:
    try:
        eml(name).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# A JSON payload carries text: 8-bit mail in a charset other than UTF-8 only arrives byte for
# byte through the command, where it is tested.
@pytest.mark.parametrize("name", [name for name in sorted(EXPECTED) if fits_in_json(name)])
def test_corpus_through_the_webhook(name, ticket42, client):
    raw = eml(name)
    before = Ticket.objects.count()
    response = post_inbound(client, raw)
    assert response.status_code == 200
    check_received(name, ticket42, before)


# ----------------------------------------------------------------------------------------------
# New tickets
# ----------------------------------------------------------------------------------------------


def test_plain_text_opens_a_ticket_with_a_new_contact():
    email = receive("plain_text.eml")
    ticket = email.ticket
    assert ticket.title == "Printer on the 3rd floor does not print"
    assert ticket.description.startswith("Hello,\n\nSince this morning the printer")
    assert ticket.status == "open"
    assert ticket.created_by is None
    assert (ticket.contact.first_name, ticket.contact.last_name) == ("Claire", "Martin")
    assert ticket.contact.email == "claire.martin@example.com"
    assert ticket.account is None
    assert email.direction == "in"
    assert email.from_address == "claire.martin@example.com"
    assert email.to == ["support@guichet.example"]
    assert email.cc == []
    assert email.subject == ticket.title
    assert email.message_id == "CAF3kq9Zp1x=Tn2Lw5@mail.example.com"
    assert email.text_body == ticket.description
    assert email.html_body == ""
    assert email.sent_at.isoformat() == "2024-11-26T09:13:58+01:00"


def test_the_contact_is_found_by_address_in_any_case_and_brings_its_account():
    account = AccountFactory(name="Contoso")
    contact = ContactFactory(email="J.Dupont@Contoso.example", account=account)
    ticket = receive("html_only.eml").ticket
    assert ticket.contact == contact
    assert ticket.account == account
    assert Contact.objects.count() == 1


def test_a_sender_without_a_display_name_is_named_after_the_address():
    raw = replace_header(eml("plain_text.eml"), "From", "claire.martin@example.com")
    contact = receive_email(parse(raw)).ticket.contact
    assert (contact.first_name, contact.last_name) == ("", "claire.martin")


def test_a_display_name_written_last_name_first():
    raw = replace_header(eml("plain_text.eml"), "From", '"Martin, Claire" <c@example.com>')
    contact = receive_email(parse(raw)).ticket.contact
    assert (contact.first_name, contact.last_name) == ("Claire", "Martin")


def test_html_only_gives_a_text_description_and_sanitised_html():
    email = receive("html_only.eml")
    assert email.ticket.description.splitlines() == [
        "Good morning,",
        "Our card was charged twice for invoice 2024-1187 (2 x 149.00 EUR on 22 November).",
        "Could you refund the second payment?",
        "Kind regards,",
        "Jean Dupont",
        "Contoso Purchasing",
    ]
    assert email.text_body == ""
    assert "<b>twice</b>" in email.html_body
    assert "<style" not in email.html_body
    assert "MsoNormal" not in email.html_body


def test_multipart_alternative_keeps_both_bodies_and_the_cc():
    email = receive("multipart_alternative.eml")
    assert email.text_body.startswith("Hello,\n\nOrder SO-000311 arrived today")
    assert email.ticket.description == email.text_body
    assert "<div>Léa</div>" in email.html_body
    assert email.cc == ["marc.petit@fabrikam.example"]
    contact = email.ticket.contact
    assert (contact.first_name, contact.last_name) == ("Léa", "Bernard")


def test_an_inline_image_becomes_a_private_document_of_the_ticket():
    email = receive("inline_image.eml")
    document = email.attachments.get()
    assert list(ticket_documents(email.ticket).all()) == [document]
    assert document.title == "screenshot.png"
    assert document.collection.name == "Ticket attachments"
    content = document.file.open("rb").read()
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert document.file_size == len(content) == 73
    assert document.file_hash == hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's hash
    assert "<img" not in email.html_body  # images are documents, never fetched by the browser


def test_an_attachment_keeps_its_name_and_bytes():
    email = receive("attachment_pdf.eml")
    document = email.attachments.get()
    assert document.title == "PO-2024-0456.pdf"
    assert document.filename.startswith("PO-2024-0456")
    assert document.file.open("rb").read().startswith(b"%PDF-1.4")
    assert document.file_size == 335
    assert "purchase order" in email.ticket.description


def test_iso_8859_1_headers_and_body_are_decoded():
    email = receive("iso_8859_1.eml")
    ticket = email.ticket
    assert ticket.title == "Facture non reçue à ce jour"
    assert "Nous n'avons toujours pas reçu la facture de la commande passée" in ticket.description
    assert "480 ¤ TTC, réf. « ÉTÉ-24 »" in ticket.description
    assert (ticket.contact.first_name, ticket.contact.last_name) == ("Frédéric", "Lévesque")


def test_quoted_printable_soft_line_breaks_are_joined():
    ticket = receive("quoted_printable.eml").ticket
    assert ticket.title == "Remboursement de l’abonnement – 12€"
    assert "prélevé deux fois ce mois-ci (2 × 12€)" in ticket.description
    assert "comme le veut la RFC 2045." in ticket.description
    assert ticket.contact.first_name == "Inès"


def test_a_forwarded_thread_opens_a_ticket_with_the_whole_thread(ticket42):
    # Its In-Reply-To names the vendor's message, which is not ours: no thread to join.
    email = receive("forwarded_thread.eml")
    assert email.ticket != ticket42
    assert email.ticket.title == "Fwd: Re: Laptop keeps crashing"
    assert "---------- Forwarded message ---------" in email.ticket.description
    assert "> My laptop (serial 5CD1234XYZ) crashes every hour." in email.ticket.description
    assert email.in_reply_to == "f00dfeed.1c2b@vendor.example"
    assert email.references.split() == [
        "CAB9yZ1q-Fk3uS7xP@mail.example.com",
        "f00dfeed.1c2b@vendor.example",
    ]


def test_a_message_forwarded_as_attachment_is_kept_whole_as_an_eml_document():
    email = receive("forwarded_as_attachment.eml")
    document = email.attachments.get()
    assert document.title == "Password reset link expired.eml"
    assert document.filename.endswith(".eml")
    assert b"From: Hugo Roux <h.roux@contoso.example>" in document.file.open("rb").read()
    assert "link expired" not in email.text_body  # the forwarded text stays in its document


def test_a_message_without_subject_gets_a_placeholder_title():
    ticket = receive_email(parse(replace_header(eml("plain_text.eml"), "Subject", None))).ticket
    assert ticket.title == "(no subject)"


def test_a_long_subject_is_cut_to_the_title_length():
    subject = "Printer " * 60
    ticket = receive_email(parse(replace_header(eml("plain_text.eml"), "Subject", subject))).ticket
    assert len(ticket.title) == 255


# ----------------------------------------------------------------------------------------------
# Threading, status and unknown senders
# ----------------------------------------------------------------------------------------------


def test_a_reply_to_our_message_id_resumes_the_waiting_ticket(ticket42):
    email = receive("reply_in_reply_to.eml")
    assert email.ticket == ticket42
    assert email.unknown_sender is False
    assert email.in_reply_to == OUR_MESSAGE_ID
    assert OUR_MESSAGE_ID in email.references.split()
    ticket42.refresh_from_db()
    assert ticket42.status == "in_progress"
    change = status_changes(ticket42).get()
    assert (change.data["transition"], change.data["from"], change.data["to"]) == (
        "resume",
        "waiting",
        "in_progress",
    )
    assert change.actor is None
    assert "claire.martin@example.com" in change.data["comment"]


def test_the_message_id_thread_wins_over_a_subject_token(ticket42):
    TicketFactory(number="TT-000043")
    raw = replace_header(eml("reply_in_reply_to.eml"), "Subject", "Re: [TT-000043] other")
    assert receive_email(parse(raw)).ticket == ticket42


def test_a_reply_to_a_received_message_id_threads_too(ticket42):
    first = receive("plain_text.eml")
    raw = replace_header(eml("reply_in_reply_to.eml"), "In-Reply-To", f"<{first.message_id}>")
    raw = replace_header(raw, "References", None)
    assert receive_email(parse(raw)).ticket == first.ticket


def test_the_subject_token_finds_the_ticket_and_the_sender_in_any_case(ticket42):
    Ticket.objects.filter(pk=ticket42.pk).update(status="in_progress")
    email = receive("reply_token_only.eml")
    assert email.ticket == ticket42
    assert email.unknown_sender is False
    assert not status_changes().exists()  # in progress already: nothing to resume


def test_a_token_naming_no_ticket_opens_a_new_one():
    email = receive("reply_token_only.eml")
    assert email.ticket.title == "Re: [TT-000042] Printer on the 3rd floor does not print"


def test_a_reply_to_a_closed_ticket_reopens_it_by_default(ticket42):
    close(ticket42)
    email = receive("reply_in_reply_to.eml")
    ticket42.refresh_from_db()
    assert email.ticket == ticket42
    assert ticket42.status == "open"
    assert ticket42.closed_at is None
    change = status_changes(ticket42).get()
    assert change.data["transition"] == "reopen"
    assert change.actor is None


def test_a_reply_to_a_closed_ticket_can_open_a_new_one(ticket42, settings):
    settings.GUICHET_REPLY_TO_CLOSED = "new"
    close(ticket42)
    email = receive("reply_in_reply_to.eml")
    ticket42.refresh_from_db()
    assert ticket42.status == "closed"
    assert email.ticket != ticket42
    assert email.ticket.description.splitlines()[0] == (
        "This email replied to TT-000042, which is closed."
    )
    assert "the queue is still blocked" in email.ticket.description
    assert email.ticket.contact == ticket42.contact
    assert email.unknown_sender is False


def test_an_unknown_sender_is_kept_but_flagged(ticket42):
    email = receive("reply_unknown_sender.eml")
    assert email.ticket == ticket42
    assert email.unknown_sender is True
    assert not Contact.objects.filter(email="bob@elsewhere.example").exists()


def test_an_unknown_sender_cannot_reopen_a_closed_ticket(ticket42):
    close(ticket42)
    email = receive("reply_unknown_sender.eml")
    ticket42.refresh_from_db()
    assert ticket42.status == "closed"
    assert email.ticket != ticket42
    assert email.unknown_sender is True
    assert email.ticket.description.startswith("This email replied to TT-000042")


def test_an_address_already_on_the_tickets_emails_is_known(ticket42):
    ticket42.emails.update(cc=["Marc Petit <marc.petit@fabrikam.example>"])
    raw = replace_header(eml("reply_unknown_sender.eml"), "From", "marc.petit@fabrikam.example")
    assert receive_email(parse(raw)).unknown_sender is False


def test_receiving_a_reply_costs_the_same_queries_however_long_the_thread(ticket42):
    def queries_for(message_id: str) -> int:
        raw = replace_header(eml("reply_in_reply_to.eml"), "Message-ID", f"<{message_id}>")
        with CaptureQueriesContext(connection) as captured:
            receive_email(parse(raw))
        return len(captured)

    Ticket.objects.filter(pk=ticket42.pk).update(status="in_progress")
    short = queries_for("short@example.com")
    for n in range(30):
        EmailMessage.objects.create(
            ticket=ticket42, direction="in", status="received", from_address=f"x{n}@example.com",
            subject="Re", message_id=f"old-{n}@example.com",
        )  # fmt: skip
    assert queries_for("long@example.com") == short


# ----------------------------------------------------------------------------------------------
# Loops and abuse
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["auto_reply.eml", "out_of_office.eml", "bounce.eml"])
def test_automated_mail_never_reopens_or_creates(name, ticket42, caplog):
    close(ticket42)
    caplog.set_level("INFO", logger="ticketing.mail.services.email_in")
    receipt = file_inbound_email(parse(eml(name)))
    assert receipt.outcome == (Outcome.BOUNCE if name == "bounce.eml" else Outcome.AUTOMATED)
    assert (receipt.email.status, receipt.email.ticket) == ("ignored", None)
    ticket42.refresh_from_db()
    assert ticket42.status == "closed"
    assert Ticket.objects.count() == 1
    assert EmailMessage.objects.filter(direction="in").get() == receipt.email
    assert "set aside as ignored" in caplog.text


def test_a_bounce_of_our_reply_marks_it_bounced(ticket42):
    receipt = file_inbound_email(parse(eml("bounce.eml")))
    ours = ticket42.emails.get(direction="out")
    assert ours.status == "bounced"
    assert ours.last_error  # the remote server's words, for the agent
    assert receipt.email.bounce_of == ours
    assert receipt.email.ticket is None  # the bounce itself is not a message on the ticket


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Auto-Submitted", "auto-generated"),
        ("Auto-Submitted", "auto-replied; owner-email=claire@example.com"),
        ("Precedence", "bulk"),
        ("Precedence", "junk"),
        ("Precedence", "list"),
        ("Precedence", "auto_reply"),
        ("X-Autoreply", "yes"),
        ("X-Autorespond", "Out of office"),
        ("X-Auto-Response-Suppress", "All"),
        ("Return-Path", "<>"),
        ("From", "Mail Delivery Subsystem <MAILER-DAEMON@example.com>"),
        ("From", "postmaster@example.com"),
        ("Content-Type", "multipart/report; report-type=disposition-notification; boundary=x"),
    ],
)
def test_each_sign_of_a_machine(header, value):
    raw = replace_header(eml("plain_text.eml"), header, value)
    assert automated_reason(parse(raw))
    assert receive_email(parse(raw)) is None
    assert EmailMessage.objects.get().status == "ignored"
    assert not Ticket.objects.exists()


def test_auto_submitted_no_is_a_person():
    raw = replace_header(eml("plain_text.eml"), "Auto-Submitted", "no")
    assert automated_reason(parse(raw)) is None
    assert receive_email(parse(raw)) is not None


@pytest.mark.parametrize(
    "sender", ["support@guichet.example", "Guichet <SUPPORT@guichet.example>", "helpdesk@x.example"]
)
def test_our_own_addresses_are_ignored(sender, settings):
    settings.DEFAULT_FROM_EMAIL = "Guichet Support <support@guichet.example>"
    settings.GUICHET_OWN_ADDRESSES = ["helpdesk@x.example"]
    raw = replace_header(eml("plain_text.eml"), "From", sender)
    receipt = file_inbound_email(parse(raw))
    assert receipt.outcome == Outcome.OWN_ADDRESS
    assert not Ticket.objects.exists()


def test_the_same_message_id_is_stored_once():
    first = receive("plain_text.eml")
    receipt = file_inbound_email(parse(eml("plain_text.eml")))
    assert receipt.outcome == Outcome.DUPLICATE
    assert EmailMessage.objects.get() == first
    assert Ticket.objects.count() == 1


def test_angle_brackets_and_spaces_around_the_message_id_do_not_matter():
    receive("plain_text.eml")
    raw = replace_header(
        eml("plain_text.eml"), "Message-ID", "  <CAF3kq9Zp1x=Tn2Lw5@mail.example.com> "
    )
    assert receive_email(parse(raw)) is None


def test_a_message_without_message_id_is_recognised_when_delivered_again():
    raw = replace_header(eml("plain_text.eml"), "Message-ID", None)
    email = receive_email(parse(raw))
    assert email.message_id.endswith("@inbound.guichet.invalid")
    # The second delivery went through one more relay: a new trace header, the same message.
    again = with_header(raw, "Received", "from relay2.example.net by mx1.guichet.example")
    assert file_inbound_email(parse(again)).outcome == Outcome.DUPLICATE
    other = replace_header(raw, "Subject", "Another question")
    assert receive_email(parse(other)).message_id != email.message_id


def test_an_oversized_message_is_refused_and_nothing_is_stored(settings):
    settings.GUICHET_INBOUND_MAX_BYTES = 1_000
    with pytest.raises(InboundEmailTooLarge, match="GUICHET_INBOUND_MAX_BYTES"):
        receive("attachment_pdf.eml")
    assert not EmailMessage.objects.exists()
    assert not Ticket.objects.exists()


def test_a_message_without_sender_is_quarantined_with_its_raw_message():
    raw = replace_header(eml("plain_text.eml"), "Return-Path", None)
    receipt = file_inbound_email(parse(replace_header(raw, "From", "undisclosed")))
    assert receipt.outcome == Outcome.QUARANTINED
    assert "sender" in receipt.reason
    email = EmailMessage.objects.get()
    assert (email.status, email.ticket) == ("quarantined", None)
    with email.raw_message.file.open("rb") as kept:
        assert b"From: undisclosed" in kept.read()
    assert not Ticket.objects.exists()


def test_nul_characters_and_unknown_charsets_do_not_break_storage():
    raw = replace_header(eml("plain_text.eml"), "Content-Type", "text/plain; charset=x-klingon")
    raw = raw.replace(b"Hello,", b"Hel\x00lo, caf\xc3\xa9")
    email = receive_email(parse(raw))
    assert email.text_body.startswith("Hello, café")


# ----------------------------------------------------------------------------------------------
# The command's input and output
# ----------------------------------------------------------------------------------------------


def run_command(*args, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    options = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    call_command("receive_email", *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize("args", [("-",), ()])
def test_the_command_reads_standard_input(args):
    output = run_command(*args, stdin=eml("plain_text.eml"))
    number = Ticket.objects.get().number
    assert output.strip() == f"New ticket {number} opened (email {EmailMessage.objects.get().pk})."


def test_the_command_reports_a_reply_a_flag_and_a_duplicate(ticket42):
    assert "Stored on ticket TT-000042 (email" in run_command(stdin=eml("reply_token_only.eml"))
    output = run_command(stdin=eml("reply_unknown_sender.eml"))
    assert "Stored on ticket TT-000042 from an address unknown to the ticket" in output
    output = run_command(stdin=eml("reply_token_only.eml"))
    assert output.strip() == (
        "Ignored as a duplicate: Message-ID 20241129101240.Horde.k3Jd8Qw2@webmail.example.com "
        "is stored."
    )


def test_the_command_reports_our_own_mail():
    raw = replace_header(eml("plain_text.eml"), "From", "support@guichet.example")
    assert "Ignored: sent from our own address" in run_command(stdin=raw)


def test_the_command_refuses_an_oversized_message(settings):
    settings.GUICHET_INBOUND_MAX_BYTES = 1_000
    with pytest.raises(CommandError, match="larger than 1,000 bytes") as refused:
        run_command(str(CORPUS / "attachment_pdf.eml"))
    assert refused.value.returncode == 65
    assert not EmailMessage.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
    ],
)
def test_the_command_refuses_malformed_input(raw, message):
    with pytest.raises(CommandError, match=message) as refused:
        run_command(stdin=raw)
    assert refused.value.returncode == 65
    assert not EmailMessage.objects.exists()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "raw", [b"\x00\xff\xfe garbage without any header\n", b"Subject: no sender\n\nHello\n"]
)
def test_the_command_quarantines_a_message_without_sender(raw):
    out = run_command(stdin=raw)
    assert "Quarantined: The message has no valid sender address" in out
    assert EmailMessage.objects.get().status == "quarantined"
    assert not Ticket.objects.exists()


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read") as refused:
        run_command(str(tmp_path / "missing.eml"))
    assert refused.value.returncode == 66
