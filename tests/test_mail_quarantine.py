"""The quarantine in the mail manager: managers read, reprocess and delete what was refused."""

import pytest
from anymail.inbound import AnymailInboundMessage

from tests.admin_urls import snippet_url
from ticketing.mail.choices import EmailStatus
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import Outcome, file_inbound_email
from ticketing.mail.services.email_storing import set_aside_email
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db

NO_SENDER = b"Message-ID: <lost-1@example.net>\nSubject: Printer again\n\nIt jams on page 2.\n"


@pytest.fixture
def quarantined(db) -> EmailMessage:
    receipt = file_inbound_email(AnymailInboundMessage.parse_raw_mime_bytes(NO_SENDER))
    assert receipt.outcome == Outcome.QUARANTINED
    return receipt.email


def reprocess_url(email: EmailMessage) -> str:
    return snippet_url("emailmessage", "reprocess", email.pk)


def test_a_manager_reads_the_quarantine(client, manager, quarantined):
    client.force_login(manager)
    listing = client.get(snippet_url("emailmessage", "list") + "?status=quarantined")
    assert "Printer again" in listing.content.decode()
    page = client.get(snippet_url("emailmessage", "inspect", quarantined.pk)).content.decode()
    assert "in the quarantine" in page
    assert "no valid sender address" in page  # why, in words
    assert "original-message" in page  # the raw message, to download
    assert reprocess_url(quarantined) in page


def test_agents_never_see_the_quarantine(client, agent, quarantined):
    client.force_login(agent)
    listing = client.get(snippet_url("emailmessage", "list"))
    assert listing.status_code == 200
    assert "Printer again" not in listing.content.decode()
    inspect = client.get(snippet_url("emailmessage", "inspect", quarantined.pk))
    assert inspect.status_code in (302, 403)
    # Refused (Wagtail's admin answers a refusal with a redirect to its home and a message).
    assert client.get(reprocess_url(quarantined)).status_code in (302, 403)
    assert client.post(reprocess_url(quarantined)).status_code in (302, 403)
    assert EmailMessage.objects.filter(pk=quarantined.pk).exists()


def test_reprocess_takes_it_in_once_the_cause_is_fixed(client, manager, quarantined, settings):
    client.force_login(manager)
    confirm = client.get(reprocess_url(quarantined))
    assert "through the inbound mail again" in confirm.content.decode()
    # Still no sender: it stays in the quarantine, as a new row with the same raw message.
    response = client.post(reprocess_url(quarantined), follow=True)
    assert "still refused" in response.content.decode()
    again = EmailMessage.objects.get()
    assert again.status == "quarantined"
    assert again.pk != quarantined.pk
    assert not Ticket.objects.exists()


def test_reprocess_opens_the_ticket_when_the_message_now_passes(client, manager, db):
    # Quarantined by an older Guichet that could not read it; today's pipeline can.
    client.force_login(manager)
    raw = NO_SENDER.replace(b"Subject:", b"From: <claire@example.com>\nSubject:")
    email = set_aside_email(
        EmailStatus.QUARANTINED, sender="", subject="Printer again", parts=("", "", []),
        message_id="lost-1@example.net", flags=[], raw=raw,
    )  # fmt: skip
    response = client.post(reprocess_url(email), follow=True)
    ticket = Ticket.objects.get()
    assert f"now on ticket {ticket.number}" in response.content.decode()
    stored = EmailMessage.objects.get()
    assert (stored.ticket, stored.status) == (ticket, "received")
    assert stored.text_body == "It jams on page 2."
    assert stored.raw_message is not None


def test_delete_asks_first(client, manager, quarantined):
    client.force_login(manager)
    url = snippet_url("emailmessage", "delete", quarantined.pk)
    assert client.get(url).status_code == 200  # the confirmation page
    assert EmailMessage.objects.filter(pk=quarantined.pk).exists()
    client.post(url)
    assert not EmailMessage.objects.filter(pk=quarantined.pk).exists()
