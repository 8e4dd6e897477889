"""Real-world mail from other projects' test suites (tests/data/mail-corpus/README.md): every
message is taken in whole, and each case Guichet used to lose or garble reads as it was meant.
"""

import json
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from anymail.inbound import AnymailInboundMessage

from tests.factories import ContactFactory, TicketFactory, UserFactory
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_decoding import decode_bytes, decode_header_value
from ticketing.mail.services.email_in import Outcome, file_inbound_email
from ticketing.records.documents import ticket_documents

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "mail-corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in {".box", ".txt"})
ZAMMAD = json.loads((CORPUS / "zammad-expected.json").read_text())
ON_A_TICKET = {Outcome.NEW_TICKET, Outcome.ADDED_TO_TICKET}
SET_ASIDE = {Outcome.AUTOMATED, Outcome.BOUNCE, Outcome.OWN_ADDRESS, Outcome.QUARANTINED}


def corpus(name: str) -> bytes:
    return next(path for path in FILES if path.name.startswith(name)).read_bytes()


def feed(raw: bytes):
    return file_inbound_email(AnymailInboundMessage.parse_raw_mime_bytes(raw))


def has_text(raw: bytes) -> bool:
    """Whether the message, read by the standard library alone, has readable text in a body
    part (not an attachment, nor inside a forwarded message, which is kept as a whole .eml),
    or a multipart body it could not split at all."""
    message = message_from_bytes(raw, policy=policy.compat32)
    pending = [message]
    while pending:
        part = pending.pop()
        if part.is_multipart():
            if part.get_content_maintype() == "multipart":
                pending += part.get_payload()
            continue
        payload = part.get_payload(decode=True) or b""
        named = part.get_filename() or "attachment" in str(part.get("Content-Disposition", ""))
        if part.get_content_subtype() == "html":
            payload = re.sub(rb"<[^>]*>|&nbsp;", b"", payload)  # an image alone is no text
        if part.get_content_maintype() == "text" and not named and payload.strip():
            if part.get_content_subtype() in {"plain", "html"}:
                return True
    return message.is_multipart() and isinstance(message.get_payload(), str)


def raw_kept(email: EmailMessage) -> bytes:
    with email.raw_message.file.open("rb") as file:
        return file.read()


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_message_is_kept_whole(path):
    raw = path.read_bytes()
    receipt = feed(raw)
    if receipt.outcome == Outcome.DUPLICATE:  # pragma: no cover - each file is fed alone
        pytest.fail("a file alone cannot be a duplicate")
    email = receipt.email
    assert receipt.outcome in ON_A_TICKET | SET_ASIDE
    assert email.raw_message is not None
    assert raw_kept(email)
    if receipt.outcome in ON_A_TICKET:
        assert email.ticket is not None
        assert email.status == "received"
        assert email.from_address
    else:
        assert email.ticket is None
        assert email.status in {"ignored", "quarantined"}
        assert email.flags  # why, for the manager who reads it
    if has_text(raw):
        assert (email.text_body or email.html_body).strip()
        if email.ticket is not None:
            assert email.ticket.description.strip()


# --- Broken MIME ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("mail105", "äöüß ad asd"),  # multipart without any boundary line
        ("msg_17", "This is the dingus fish."),  # multipart without any boundary line
        ("msg_31", "message 1\n\nmessage 2"),  # boundary="BOUNDARY_", lines say --BOUNDARY
        ("msg_41", "Blah blah blah"),  # multipart/alternative without a boundary parameter
    ],
)
def test_broken_multipart_keeps_its_text(name, words):
    email = feed(corpus(name)).email
    assert words in email.text_body
    assert words in email.ticket.description


# --- Charsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mail031", "mail046", "mail093", "mail044", "mail016"])
def test_subjects_read_as_the_sender_meant(name):
    """GB2312 labels on GBK text (031, 044, 016), raw 8-bit GBK (046) and Shift_JIS (093)."""
    email = feed(corpus(name)).email
    expected = ZAMMAD[f"{name}.box"]["subject"]
    assert email.subject == " ".join(expected.split())


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("mail031", "最佳注塑工艺参數設定方法"),  # GBK in a body labelled GB2312
        ("mail046", 'Software zur Erkennung von "Spam"'),
        ("mail116", "これはテストメールです。\nお問い合わせありがとうございます。"),  # no label
        ("mail099", "①１都３県の鯵と、"),  # ① is outside Python's ISO-2022-JP tables
    ],
)
def test_bodies_read_as_the_sender_meant(name, words):
    assert words in feed(corpus(name)).email.text_body


def test_the_charset_fallback_chain():
    gbk_only = "內應力".encode("gbk")  # 內 and 應 are GBK, not GB2312
    assert decode_bytes(gbk_only, "gb2312") == "內應力"
    assert decode_bytes("déjà".encode(), "") == "déjà"  # unlabelled: UTF-8
    assert decode_bytes("déjà".encode(), "us-ascii") == "déjà"  # a wrong ASCII label
    assert decode_bytes("“quoted” 5 €".encode("cp1252"), "iso-8859-1") == "“quoted” 5 €"
    assert decode_bytes("テスト".encode("iso2022_jp"), "") == "テスト"  # escapes, no label
    assert decode_bytes("ツール".encode("cp932"), "x-unknown") == "ツール"  # the guess
    assert decode_bytes(b"caf\xe9", "x-klingon") == "café"  # unknown label: the chain goes on
    assert decode_bytes(bytes(range(128, 256)), "") is not None  # never raises
    raw_header = "ツール".encode("cp932").decode("ascii", "surrogateescape")
    assert decode_header_value(raw_header) == "ツール"
    assert decode_header_value("=?ISO-2022-JP?B?g2OBW4OL?=") == "ツール"  # Shift_JIS inside


# --- Sender -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sender"),
    [
        ("mail016", "vipyimin@126.com"),  # no From: Reply-To
        ("mail017", "ghgbwum@185.com.cn"),  # two From headers, the first without an address
        ("mail044", "Claudia.Shu@yahoo.com"),  # a trailing dot
        ("mail068", "xxxxx@xxxxx.cz"),  # a header block that starts with a line of text
    ],
)
def test_the_sender_is_found(name, sender):
    email = feed(corpus(name)).email
    assert email.from_address == sender
    assert email.ticket.contact.email == sender


def test_sender_and_return_path_when_from_is_missing():
    raw = b"Sender: <helen@example.com>\nReturn-Path: <bounce@example.com>\nSubject: hi\n\nHi\n"
    assert feed(raw).email.from_address == "helen@example.com"
    raw = b"Return-Path: <helen@example.org>\nSubject: hello\n\nHi\n"
    assert feed(raw).email.from_address == "helen@example.org"


@pytest.fixture
def agent_ticket(db):
    agent = UserFactory(username="agent", email="agent@example.com", role="Support agents")
    contact = ContactFactory(email="claire@example.com")
    ticket = TicketFactory(number="TT-000042", contact=contact, status="waiting")
    return agent, ticket


def reply_from(sender: str, number: str = "TT-000042") -> bytes:
    return (
        f"From: {sender}\nTo: support@guichet.example\nSubject: Re: [{number}] printer\n"
        "Message-ID: <reply-1@example.net>\n\nI have fixed it on site.\n"
    ).encode()


@pytest.mark.parametrize(
    "sender",
    ["=?utf-8?Q?agent?=@example.com", "=?utf-8?Q?attacker?Q?agent?=@victim.example"],
)
def test_an_encoded_word_address_is_not_our_agent(agent_ticket, sender):
    """mail117/118's trick: an address a mail client shows as agent@example.com."""
    _agent, ticket = agent_ticket
    email = feed(reply_from(sender)).email
    assert email.ticket == ticket
    assert email.sent_by is None
    assert email.held
    assert email.unknown_sender
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_mail117_and_118_are_strangers_to_our_agents(agent_ticket):
    for name in ("mail117", "mail118"):
        email = feed(corpus(name)).email
        assert email.sent_by is None
        assert email.ticket.contact.email == email.from_address  # a contact, not the agent
        EmailMessage.objects.filter(pk=email.pk).delete()  # they share a Message-ID


def test_an_agents_reply_lands_as_the_agents_message(agent_ticket):
    agent, ticket = agent_ticket
    email = feed(reply_from("Agent <AGENT@example.com>")).email
    assert email.ticket == ticket
    assert email.sent_by == agent
    assert not email.flagged
    ticket.refresh_from_db()
    assert ticket.status == "waiting"  # an agent's word resumes nothing


def test_a_strangers_reply_is_held_and_moves_nothing(agent_ticket):
    _agent, ticket = agent_ticket
    email = feed(reply_from("Mallory <mallory@example.org>")).email
    assert email.ticket == ticket
    assert email.held
    assert email.unknown_sender
    assert email.sent_by is None
    ticket.refresh_from_db()
    assert ticket.status == "waiting"
    assert ticket.contact.email == "claire@example.com"


# --- Mixed text and HTML, uuencode ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("mail110", ["This is the text part", "This is the html part (signature)"]),
        ("mail111", ["This is the html message", "This is the text signature part"]),
        (
            "mail112",
            [
                "This is the html message part",
                "This is the text part",
                "This is the html part (signature)",
            ],
        ),  # fmt: skip
    ],
)
def test_the_description_is_the_whole_message(name, parts):
    description = feed(corpus(name)).email.ticket.description
    positions = [description.index(part) for part in parts]
    assert positions == sorted(positions)  # in the order they were written


def test_a_uuencoded_attachment_is_decoded():
    email = feed(corpus("mail078-content")).email
    document = ticket_documents(email.ticket).get()
    assert document.title == "PGP_Cmts_on_12-14-01_Pkg.txt"
    with document.file.open("rb") as file:
        assert file.read() == b"Hello Zammad"


# --- Machines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mail033", "mail055", "mail089", "msg_16", "mail052"])
def test_system_notifications_are_kept_as_ignored(name):
    receipt = feed(corpus(name))
    assert receipt.outcome == Outcome.AUTOMATED
    assert (receipt.email.status, receipt.email.ticket) == ("ignored", None)
    assert receipt.email.flag_reasons()  # the manager reads why
