"""Webhook safety: the shared secret, bad payloads, size, tracking statuses, sanitised HTML."""

import base64
import json
import threading
import uuid
from pathlib import Path

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailTrackingEvent, tracking
from django.db import connection, connections

from tests.factories import TicketFactory
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import file_inbound_email, record_delivery_event
from ticketing.mail.services.email_storing import Outcome
from ticketing.records.documents import ticket_documents
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "email"
SECRET = "test-esp:test-webhook-secret"
INBOUND_URL = "/anymail/postmark/inbound/"
TRACKING_URL = "/anymail/postmark/tracking/"
ESP_ID = "b7bc2f4a-e38e-4336-af7d-e6c392c2f817"


def basic_auth(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def inbound_payload(name: str) -> str:
    return json.dumps({"MessageID": str(uuid.uuid4()), "RawEmail": (CORPUS / name).read_text()})


def post(client, url: str, body: str, auth: str | None = SECRET):
    extra = {"HTTP_AUTHORIZATION": basic_auth(auth)} if auth else {}
    return client.post(url, data=body, content_type="application/json", **extra)


def nothing_stored() -> bool:
    return not EmailMessage.objects.exists() and not Ticket.objects.exists()


@pytest.fixture
def sent_email(db):
    return EmailMessage.objects.create(
        ticket=TicketFactory(),
        direction="out",
        status="sent",
        from_address="support@guichet.example",
        to=["claire.martin@example.com"],
        subject="[TT-000001] Problem",
        message_id="173262848012.4711.1@guichet.example",
        esp_message_id=ESP_ID,
    )


def tracking_payload(record_type: str, message_id: str = ESP_ID, **fields) -> str:
    """Postmark's delivery and bounce webhooks, abridged."""
    payload = {
        "RecordType": record_type,
        "MessageID": message_id,
        "Recipient": "claire.martin@example.com",
        "Email": "claire.martin@example.com",
        "DeliveredAt": "2024-11-28T15:00:03Z",
        "BouncedAt": "2024-11-28T15:00:03Z",
        "Details": "Test details",
        "Tag": "",
        "MessageStream": "outbound",
    }
    return json.dumps(payload | fields)


# ----------------------------------------------------------------------------------------------
# The shared secret
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", [None, "test-esp:wrong", "someone:test-webhook-secret"])
def test_inbound_without_the_secret_is_forbidden_and_stores_nothing(client, auth):
    response = post(client, INBOUND_URL, inbound_payload("plain_text.eml"), auth=auth)
    assert response.status_code == 403
    assert nothing_stored()


def test_tracking_without_the_secret_is_forbidden_and_changes_nothing(client, sent_email):
    response = post(client, TRACKING_URL, tracking_payload("Delivery"), auth=None)
    assert response.status_code == 403
    sent_email.refresh_from_db()
    assert sent_email.status == "sent"


def test_with_the_secret_the_message_is_received(client):
    response = post(client, INBOUND_URL, inbound_payload("plain_text.eml"))
    assert response.status_code == 200
    assert EmailMessage.objects.get().ticket.title == "Printer on the 3rd floor does not print"


def test_the_secret_comes_from_settings(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "other:secret"}
    assert post(client, INBOUND_URL, inbound_payload("plain_text.eml")).status_code == 403
    response = post(client, INBOUND_URL, inbound_payload("plain_text.eml"), auth="other:secret")
    assert response.status_code == 200


def test_only_post_is_accepted(client):
    response = client.get(INBOUND_URL, HTTP_AUTHORIZATION=basic_auth(SECRET))
    assert response.status_code == 405
    assert nothing_stored()


# ----------------------------------------------------------------------------------------------
# Malformed and oversized payloads
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "this is not json",
        '{"RawEmail": "From: claire@example.com',  # cut short
        "[1, 2, 3]",
        '{"RawEmail": 42}',
        json.dumps({"RecordType": "Delivery", "MessageID": ESP_ID}),  # tracking sent to inbound
    ],
)
def test_a_malformed_payload_is_refused_and_stores_nothing(client, body):
    response = post(client, INBOUND_URL, body)
    assert 400 <= response.status_code < 500
    assert nothing_stored()


@pytest.mark.parametrize(
    "body", ["{}", json.dumps({"RawEmail": "Subject: who sent this?\n\nNobody.\n"})]
)
def test_a_message_without_sender_is_quarantined(client, body):
    response = post(client, INBOUND_URL, body)
    assert response.status_code == 200
    assert EmailMessage.objects.get().status == "quarantined"
    assert not Ticket.objects.exists()


def test_a_non_utf8_body_is_refused(client):
    response = client.post(
        INBOUND_URL,
        data=b'{"RawEmail": "\xff\xfe"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth(SECRET),
    )
    assert response.status_code == 400
    assert nothing_stored()


def test_an_oversized_message_is_refused_and_stores_nothing(client, settings):
    settings.GUICHET_INBOUND_MAX_BYTES = 1_000
    response = post(client, INBOUND_URL, inbound_payload("attachment_pdf.eml"))
    assert response.status_code == 400
    assert nothing_stored()


def test_an_oversized_request_body_is_refused_before_parsing(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post(client, INBOUND_URL, inbound_payload("attachment_pdf.eml"))
    assert response.status_code == 400
    assert nothing_stored()


def full_size_message(size: int) -> tuple[str, bytes, str]:
    """A message of exactly `size` bytes, nearly all of it one attachment: the raw message,
    the attachment's content and the text body."""
    content = bytes(range(256)) * (size * 3 // 4 // 256 * 98 // 100)
    encoded = base64.encodebytes(content).decode()

    def message(text: str) -> str:
        return (
            "From: Claire Martin <claire.martin@example.com>\n"
            "To: support@guichet.example\n"
            "Subject: Scan of the delivery note\n"
            "Message-ID: <full-size-1@example.com>\n"
            "Date: Tue, 26 Nov 2024 14:40:22 +0100\n"
            "MIME-Version: 1.0\n"
            'Content-Type: multipart/mixed; boundary="part"\n\n'
            "--part\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n"
            f"{text}\n"
            '--part\nContent-Type: application/pdf; name="scan.pdf"\n'
            'Content-Disposition: attachment; filename="scan.pdf"\n'
            "Content-Transfer-Encoding: base64\n\n"
            f"{encoded}--part--\n"
        )

    text = "Hello,\nthe scan of the delivery note is attached.\n"
    missing = size - len(message(text))
    text += ("." * 99 + "\n") * (missing // 100) + "." * (missing % 100)
    return message(text), content, text


def test_the_upload_limit_lets_a_full_size_message_through(client, settings):
    limit = settings.GUICHET_INBOUND_MAX_BYTES
    raw, content, text = full_size_message(limit)
    # The size the limit counts: the message as the inbound service reads it.
    assert len(AnymailInboundMessage.parse_raw_mime(raw).as_bytes()) == limit
    # The ESP posts the raw message and, parsed, its body and attachments once more.
    attachment = {
        "Name": "scan.pdf",
        "ContentType": "application/pdf",
        "ContentLength": len(content),
        "Content": base64.b64encode(content).decode(),
    }
    payload = {
        "MessageID": str(uuid.uuid4()),
        "From": "claire.martin@example.com",
        "Subject": "Scan of the delivery note",
        "TextBody": text,
        "Attachments": [attachment],
        "RawEmail": raw,
    }
    response = post(client, INBOUND_URL, json.dumps(payload))
    assert response.status_code == 200
    email = EmailMessage.objects.get()
    assert email.message_id == "full-size-1@example.com"
    assert not email.flagged
    document = email.attachments.get()
    assert document.title == "scan.pdf"
    assert document.file.size == len(content)
    assert list(ticket_documents(email.ticket)) == [document]


# ----------------------------------------------------------------------------------------------
# Duplicates and HTML
# ----------------------------------------------------------------------------------------------


def test_a_message_delivered_twice_is_stored_once(client):
    payload = inbound_payload("multipart_alternative.eml")
    assert post(client, INBOUND_URL, payload).status_code == 200
    assert post(client, INBOUND_URL, payload).status_code == 200
    assert EmailMessage.objects.count() == 1
    assert Ticket.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL; CI runs this on PostgreSQL",
)
def test_a_message_delivered_twice_at_the_same_moment_is_stored_once():
    raw = (CORPUS / "attachment_pdf.eml").read_bytes()
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes, errors = [], []

    def deliver() -> None:
        try:
            barrier.wait()
            message = AnymailInboundMessage.parse_raw_mime_bytes(raw)
            outcomes.append(file_inbound_email(message).outcome)
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == sorted([Outcome.NEW_TICKET] + [Outcome.DUPLICATE] * (workers - 1))
    assert EmailMessage.objects.count() == 1
    # The deliveries that lost left nothing behind: no ticket, number or document of their own.
    assert list(Ticket.objects.values_list("number", flat=True)) == ["TT-000001"]
    assert ticket_documents(EmailMessage.objects.get().ticket).count() == 1


EXECUTABLE = [
    "<script",
    "document.cookie",
    "javascript:",
    "onclick",
    "onload",
    "onerror",
    "onmouseover",
    "<iframe",
    "<form",
    "<svg",
    "<style",
    "<img",
    "alert(",
]


def test_nothing_executable_from_an_html_email_reaches_the_database(client):
    assert post(client, INBOUND_URL, inbound_payload("html_script.eml")).status_code == 200
    email = EmailMessage.objects.get()
    stored = " ".join([email.html_body, email.text_body, email.ticket.description]).lower()
    for dangerous in EXECUTABLE:
        assert dangerous not in stored
    # What is left is the readable part, with its safe link.
    assert "<p>Dear customer,</p>" in email.html_body
    assert 'href="https://invoices-secure.example/view?id=42"' in email.html_body
    assert 'rel="noopener noreferrer nofollow"' in email.html_body
    assert email.ticket.description.startswith("Dear customer,\nYour invoice is ready.")


# ----------------------------------------------------------------------------------------------
# Tracking
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record_type", "fields", "status"),
    [
        ("Delivery", {}, "delivered"),
        ("Bounce", {"Type": "HardBounce", "TypeCode": 1}, "bounced"),
        ("Bounce", {"Type": "BadEmailAddress", "TypeCode": 100000}, "bounced"),  # rejected
        ("Bounce", {"Type": "SMTPApiError", "TypeCode": 1000}, "failed"),
        ("Bounce", {"Type": "Transient", "TypeCode": 2}, "sent"),  # deferred: not final
        ("Open", {"FirstOpen": True}, "sent"),
    ],
)
def test_tracking_events_move_the_status(client, sent_email, record_type, fields, status):
    response = post(client, TRACKING_URL, tracking_payload(record_type, **fields))
    assert response.status_code == 200
    sent_email.refresh_from_db()
    assert sent_email.status == status


def test_delivered_never_hides_a_bounce(client, sent_email):
    post(client, TRACKING_URL, tracking_payload("Bounce", Type="HardBounce", TypeCode=1))
    post(client, TRACKING_URL, tracking_payload("Delivery"))
    sent_email.refresh_from_db()
    assert sent_email.status == "bounced"


def test_a_late_bounce_after_delivery_is_shown(client, sent_email):
    post(client, TRACKING_URL, tracking_payload("Delivery"))
    post(client, TRACKING_URL, tracking_payload("Bounce", Type="HardBounce", TypeCode=1))
    sent_email.refresh_from_db()
    assert sent_email.status == "bounced"


@pytest.fixture
def tracked_events():
    """The event types anymail hands our tracking handler, in the order the webhook posted them."""
    seen = []

    def remember(sender, event, esp_name, **kwargs) -> None:
        seen.append(event.event_type)

    tracking.connect(remember, weak=False, dispatch_uid="test-tracked-events")
    yield seen
    tracking.disconnect(dispatch_uid="test-tracked-events")


@pytest.mark.parametrize(
    ("record_type", "fields", "event_type"),
    [
        ("Bounce", {"Type": "Transient", "TypeCode": 2}, "deferred"),
        ("Bounce", {"Type": "DnsError", "TypeCode": 10}, "deferred"),
        ("Delivery", {}, "delivered"),  # the same delivery reported again
        ("Open", {"FirstOpen": True}, "opened"),
        ("Click", {"OriginalLink": "https://guichet.example/"}, "clicked"),
        # Too late to undo a delivery: only a bounce is shown after it.
        ("Bounce", {"Type": "SMTPApiError", "TypeCode": 1000}, "failed"),
        ("Bounce", {"Type": "BadEmailAddress", "TypeCode": 100000}, "rejected"),
    ],
)
def test_a_delivered_email_never_goes_back(
    client, sent_email, tracked_events, record_type, fields, event_type
):
    assert post(client, TRACKING_URL, tracking_payload("Delivery")).status_code == 200
    sent_email.refresh_from_db()
    assert sent_email.status == "delivered"  # the handler runs on what the webhook posts
    response = post(client, TRACKING_URL, tracking_payload(record_type, **fields))
    assert response.status_code == 200
    assert tracked_events == ["delivered", event_type]
    sent_email.refresh_from_db()
    assert sent_email.status == "delivered"


def test_an_unknown_message_id_is_ignored(client, sent_email):
    response = post(client, TRACKING_URL, tracking_payload("Delivery", message_id="unknown-id"))
    assert response.status_code == 200
    sent_email.refresh_from_db()
    assert sent_email.status == "sent"


def test_tracking_never_touches_received_email(sent_email):
    EmailMessage.objects.filter(pk=sent_email.pk).update(direction="in", status="received")
    assert record_delivery_event(AnymailTrackingEvent(event_type="bounced", message_id=ESP_ID)) == 0
    sent_email.refresh_from_db()
    assert sent_email.status == "received"


def test_an_event_without_message_id_changes_nothing(sent_email):
    EmailMessage.objects.filter(pk=sent_email.pk).update(esp_message_id="")
    assert record_delivery_event(AnymailTrackingEvent(event_type="delivered", message_id="")) == 0
    assert record_delivery_event(AnymailTrackingEvent(event_type="delivered")) == 0
