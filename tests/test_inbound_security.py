"""Inbound mail that must not get through: strangers, forged senders, deep nesting, other ESPs,
redeliveries; and the system's comment in the reader's language."""

# ruff: noqa: F811 - the fixtures claire and ticket42 come from tests/test_email_inbound.py

import base64
import json
import time
from pathlib import Path

import pytest
from anymail import urls as anymail_urls
from anymail.inbound import AnymailInboundMessage
from django.core.management import CommandError
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.test_email_inbound import (  # noqa: F401
    WEBHOOK_AUTH,
    claire,
    close,
    eml,
    parse,
    post_inbound,
    replace_header,
    run_command,
    ticket42,
    with_header,
)
from tests.timeline_rows import status_changes
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import Outcome, file_inbound_email, receive_email
from ticketing.mail.views.webhooks import anymail_urlpatterns
from ticketing.records.documents import ticket_documents
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db

REAL_CORPUS = Path("/work/shared/corpora/mail")
STRANGER = "Bob Stranger <bob@elsewhere.example>"
INBOUND_URL = "/anymail/postmark/inbound/"
TRACKING_URL = "/anymail/postmark/tracking/"


def from_stranger(name: str, message_id: str) -> bytes:
    raw = replace_header(eml(name), "From", STRANGER)
    raw = replace_header(raw, "Subject", "Re: [TT-000042] Printer on the 3rd floor")
    raw = replace_header(raw, "In-Reply-To", None)
    raw = replace_header(raw, "References", None)
    return replace_header(raw, "Message-ID", f"<{message_id}>")


def from_claire(name: str, message_id: str) -> bytes:
    raw = replace_header(from_stranger(name, message_id), "From", "claire.martin@example.com")
    return raw


def status_of(ticket: Ticket) -> str:
    ticket.refresh_from_db()
    return ticket.status


# ----------------------------------------------------------------------------------------------
# Flagged mail changes nothing until an agent accepts it
# ----------------------------------------------------------------------------------------------


def test_a_strangers_second_email_stays_flagged_and_cannot_reopen_the_ticket(ticket42):
    Ticket.objects.filter(pk=ticket42.pk).update(status="in_progress")
    first = receive_email(parse(from_stranger("reply_unknown_sender.eml", "one@elsewhere")))
    assert first.ticket == ticket42
    assert first.unknown_sender
    close(ticket42)
    second = receive_email(parse(from_stranger("reply_unknown_sender.eml", "two@elsewhere")))
    assert status_of(ticket42) == "closed"
    assert not status_changes(ticket42).exists()
    assert second.unknown_sender is True
    assert first.flagged
    assert second.flagged


def test_a_flagged_email_does_not_resume_a_waiting_ticket(ticket42):
    email = receive_email(parse(eml("reply_unknown_sender.eml")))
    assert email.ticket == ticket42
    assert status_of(ticket42) == "waiting"
    assert not status_changes().exists()
    assert email.flagged is True


def test_a_flagged_emails_attachments_stay_with_it(ticket42, agent_client):
    email = receive_email(parse(from_stranger("attachment_pdf.eml", "pdf@elsewhere")))
    assert email.ticket == ticket42
    assert [d.title for d in email.attachments.all()] == ["PO-2024-0456.pdf"]
    assert not ticket_documents(ticket42).exists()
    page = agent_client.get(urls.inspect(ticket42))
    documents = page.content.decode().split('data-related-list="documents"')[1]
    assert "PO-2024-0456.pdf" not in documents.split("</section>")[0]


def test_an_agent_accepts_a_flagged_email_after_confirming(ticket42, agent, agent_client):
    email = receive_email(parse(from_stranger("attachment_pdf.eml", "pdf@elsewhere")))
    url = urls.accept_email(ticket42, email)
    ticket_page = agent_client.get(urls.inspect(ticket42))
    assert url in ticket_page.content.decode()

    confirm = agent_client.get(url)
    assert confirm.status_code == 200
    assert "bob@elsewhere.example" in confirm.content.decode()
    email.refresh_from_db()
    assert email.accepted_at is None  # a GET only asks

    response = agent_client.post(url)
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.accepted_by == agent
    assert email.held is False
    assert list(ticket_documents(ticket42).all()) == list(email.attachments.all())
    history = agent_client.get(urls.history(ticket42))
    assert "Email accepted" in history.content.decode()
    # From now on Bob writes like anyone the ticket knows: his reply resumes the ticket.
    later = receive_email(parse(from_stranger("reply_unknown_sender.eml", "later@elsewhere")))
    assert later.flagged is False
    assert status_of(ticket42) == "in_progress"


def test_only_a_user_who_may_change_tickets_accepts(ticket42, client, marketer):
    email = receive_email(parse(eml("reply_unknown_sender.eml")))
    client.force_login(marketer)
    url = urls.accept_email(ticket42, email)
    assert client.post(url).status_code in (302, 403)
    email.refresh_from_db()
    assert email.held is True
    later = receive_email(parse(from_stranger("reply_unknown_sender.eml", "later@elsewhere")))
    assert later.flagged is True


def test_an_email_that_is_not_held_cannot_be_accepted(ticket42, agent_client):
    email = receive_email(parse(eml("reply_in_reply_to.eml")))
    url = urls.accept_email(ticket42, email)
    assert agent_client.post(url).status_code in (302, 403)  # Wagtail: back to the dashboard
    assert EmailMessage.objects.get(pk=email.pk).accepted_at is None


def test_the_providers_spam_verdict_holds_a_known_senders_reply(ticket42, client):
    raw = with_header(eml("reply_in_reply_to.eml"), "X-Spam-Status", "Yes, score=9.1")
    raw = with_header(raw, "X-Spam-Score", "9.1")
    assert post_inbound(client, raw).status_code == 200
    email = EmailMessage.objects.get(direction="in")
    assert email.unknown_sender is True
    assert email.flagged is True
    assert status_of(ticket42) == "waiting"
    assert any("spam" in reason for reason in email.flag_reasons())


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Authentication-Results", "mx1.guichet.example; spf=fail smtp.mailfrom=example.com; "
                                   "dkim=none; dmarc=fail header.from=example.com"),
        ("Authentication-Results", "mx1.guichet.example; spf=softfail; dkim=fail"),
        ("Received-SPF", "Fail (mx1.guichet.example: domain does not designate 203.0.113.9)"),
    ],
)  # fmt: skip
def test_a_failed_sender_authentication_counts_as_unknown(ticket42, header, value):
    close(ticket42)
    # A "pass" written lower down, by the sender himself, does not hide the failure above it.
    raw = with_header(eml("reply_in_reply_to.eml"), "Authentication-Results", "x; dmarc=pass")
    email = receive_email(parse(with_header(raw, header, value)))
    assert status_of(ticket42) == "closed"
    assert email.unknown_sender is True
    assert email.flagged is True


# ----------------------------------------------------------------------------------------------
# Nesting deep enough to exhaust the stack
# ----------------------------------------------------------------------------------------------


def nested(depth: int) -> bytes:
    raw = (
        b"From: Claire Martin <claire.martin@example.com>\nTo: support@guichet.example\n"
        b"Subject: deep\nMessage-ID: <deep-%d@example.com>\nMIME-Version: 1.0\n" % depth
    )
    for level in range(depth):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (level, level)
    raw += b"Content-Type: text/plain\n\nhello from the bottom\n"
    for level in reversed(range(depth)):
        raw += b"--b%d--\n" % level
    return raw


def test_deeply_nested_mail_is_refused_by_the_command_with_exit_code_65():
    with pytest.raises(CommandError, match="nest") as refused:
        run_command(stdin=nested(500))
    assert refused.value.returncode == 65
    assert not EmailMessage.objects.exists()
    run_command(stdin=nested(8))  # ordinary nesting is read
    assert EmailMessage.objects.get().text_body == "hello from the bottom"


def test_deeply_nested_mail_is_refused_by_the_webhook_with_400(client):
    assert post_inbound(client, nested(500)).status_code == 400
    assert not EmailMessage.objects.exists()
    with pytest.raises(Exception, match="nest"):
        file_inbound_email(parse(nested(500)))


def test_mail_nested_thousands_deep_is_refused_before_it_is_parsed(client, monkeypatch):
    def parse_nothing(*args):  # parsing such a message takes seconds before it fails
        raise AssertionError("the message was parsed")

    monkeypatch.setattr(AnymailInboundMessage, "parse_raw_mime", parse_nothing)
    body = json.dumps({"MessageID": "a1b2", "RawEmail": nested(3000).decode()})
    response = client.post(
        INBOUND_URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=WEBHOOK_AUTH
    )
    assert response.status_code == 400
    assert not EmailMessage.objects.exists()


@pytest.mark.parametrize("url", [INBOUND_URL, TRACKING_URL])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_refused_with_400(client, url, opening):
    closing = "]" if opening == "[" else "}"
    body = opening * 5000 + "1" + closing * 5000
    response = client.post(
        url, data=body, content_type="application/json", HTTP_AUTHORIZATION=WEBHOOK_AUTH
    )
    assert response.status_code == 400
    assert not EmailMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b'{"a": [1, {"b": "x"}]}', 3),
        (b'{"html": "[[[[{{{{", "text": "]]]]"}', 1),  # brackets in strings do not count
        (rb'{"a": "say \"[[[\" \\", "b": [[1]]}', 3),  # nor behind escaped quotes
        (b'[[{"open": "[[[[[[[[', 3),  # an unterminated string runs to the end
    ],
)
def test_json_depth_counts_only_brackets_outside_strings(body, depth):
    from ticketing.mail.services.inbound_checks import json_depth

    assert json_depth(body) == depth


def test_json_depth_is_linear_on_hostile_strings():
    """An open string full of escaped quotes was scanned again from each of them (minutes)."""
    from ticketing.mail.services.inbound_checks import json_depth

    start = time.perf_counter()
    assert json_depth(b'["' + b'\\"' * 100_000) == 1
    assert json_depth(b'{"a": "' + b"a" * 1_000_000) == 1
    assert time.perf_counter() - start < 2


def real_messages() -> list[Path]:
    return sorted(p for p in REAL_CORPUS.rglob("*") if p.suffix in {".box", ".txt"})


def test_the_depth_check_refuses_no_real_world_message():
    from ticketing.mail.services.inbound_checks import MAX_MIME_DEPTH, mime_depth, raw_mime_depth

    assert len(real_messages()) > 100
    for path in real_messages():
        raw = path.read_bytes()
        estimate, parsed = raw_mime_depth(raw), mime_depth(parse(raw))
        assert estimate <= MAX_MIME_DEPTH, path.name
        assert abs(estimate - parsed) <= 1, path.name  # off by one only where the mail is broken


# ----------------------------------------------------------------------------------------------
# Only the configured provider's webhooks are mounted
# ----------------------------------------------------------------------------------------------

OTHER_ESP_URLS = [
    "amazon_ses/inbound/", "amazon_ses/tracking/", "brevo/inbound/", "brevo/tracking/",
    "mailersend/inbound/", "mailersend/tracking/", "mailgun/inbound/", "mailgun/inbound_mime/",
    "mailgun/tracking/", "mailjet/inbound/", "mailjet/tracking/", "mailtrap/inbound/",
    "mailtrap/tracking/", "mandrill/", "mandrill/tracking/", "postal/inbound/",
    "postal/tracking/", "resend/inbound/", "resend/tracking/", "sendgrid/inbound/",
    "sendgrid/tracking/", "sendinblue/inbound/", "sendinblue/tracking/", "sparkpost/inbound/",
    "sparkpost/tracking/", "unisender_go/tracking/",
]  # fmt: skip


@pytest.mark.parametrize("path", OTHER_ESP_URLS)
def test_the_webhooks_of_other_providers_answer_404(client, path):
    assert (
        client.post(f"/anymail/{path}", data="{}", content_type="application/json").status_code
        == 404
    )
    response = client.post(
        f"/anymail/{path}", data="{}", content_type="application/json",
        HTTP_AUTHORIZATION=WEBHOOK_AUTH,
    )  # fmt: skip
    assert response.status_code == 404


def mounted(settings, backend: str, esp: str = "") -> set[str]:
    settings.EMAIL_BACKEND = backend
    settings.GUICHET_INBOUND_ESP = esp
    return {pattern.name for pattern in anymail_urlpatterns()[0]}


def test_the_provider_is_the_one_email_backend_sends_through(settings):
    assert mounted(settings, "anymail.backends.mailgun.EmailBackend") == {
        "mailgun_inbound_webhook",
        "mailgun_tracking_webhook",
    }
    assert mounted(settings, "anymail.backends.amazon_ses.EmailBackend") == {
        "amazon_ses_inbound_webhook",
        "amazon_ses_tracking_webhook",
    }
    assert mounted(settings, "django.core.mail.backends.smtp.EmailBackend", "Postmark") == {
        "postmark_inbound_webhook",
        "postmark_tracking_webhook",
    }
    assert mounted(settings, "django.core.mail.backends.smtp.EmailBackend") == set()
    assert len(anymail_urls.urlpatterns) > 20  # anymail's own list is untouched


# ----------------------------------------------------------------------------------------------
# Redelivery without a Message-ID
# ----------------------------------------------------------------------------------------------


def parsed_postmark_payload() -> str:
    """Postmark's parsed fields, without "RawEmail": anymail rebuilds the MIME itself."""
    return json.dumps({
        "FromFull": {"Email": "claire.martin@example.com", "Name": "Claire Martin"},
        "ToFull": [{"Email": "support@guichet.example", "Name": ""}],
        "CcFull": [],
        "Subject": "Scanner jams on every page",
        "Date": "Thu, 28 Nov 2024 09:12:44 +0100",
        "MessageID": "5d7ac1a0-6c1f-4c57-9d80-0a1b2c3d4e5f",
        "TextBody": "Hello,\nthe scanner jams on every page since Monday.\nClaire",
        "HtmlBody": "<p>Hello,<br>the scanner jams on every page since Monday.</p>",
        "Headers": [{"Name": "Return-Path", "Value": "<claire.martin@example.com>"}],
        "Attachments": [{
            "Name": "jam.txt", "ContentType": "text/plain",
            "Content": base64.b64encode(b"paper jam log").decode(), "ContentLength": 13,
        }],
    })  # fmt: skip


def test_a_postmark_payload_without_message_id_delivered_twice_opens_one_ticket(client):
    for _delivery in range(2):
        response = client.post(
            INBOUND_URL,
            data=parsed_postmark_payload(),
            content_type="application/json",
            HTTP_AUTHORIZATION=WEBHOOK_AUTH,
        )
        assert response.status_code == 200
    assert Ticket.objects.count() == 1
    email = EmailMessage.objects.get()
    assert email.subject == "Scanner jams on every page"
    assert email.message_id.endswith("@inbound.guichet.invalid")


def test_a_message_without_message_id_re_encoded_by_a_relay_is_a_duplicate():
    raw = replace_header(eml("attachment_pdf.eml"), "Message-ID", None)
    first = file_inbound_email(parse(raw))
    assert first.outcome == Outcome.NEW_TICKET
    again = raw.replace(b"------------8hJ2kL4mN6pQ8rS0tU2vW4xY", b"=_relay_boundary_42")
    assert file_inbound_email(parse(again)).outcome == Outcome.DUPLICATE
    assert Ticket.objects.count() == 1


# ----------------------------------------------------------------------------------------------
# The system's comment, in the reader's language
# ----------------------------------------------------------------------------------------------


def test_the_email_from_comment_reads_in_each_agents_language(ticket42, client, agent, manager):
    receive_email(parse(eml("reply_in_reply_to.eml")))
    profile = UserProfile.get_for_user(agent)
    profile.preferred_language = "fr"
    profile.save()
    url = urls.inspect(ticket42)

    client.force_login(agent)
    french = client.get(url).content.decode()
    assert "E-mail de claire.martin@example.com." in french
    assert "Email from claire.martin@example.com." not in french

    client.force_login(manager)
    assert "Email from claire.martin@example.com." in client.get(url).content.decode()
