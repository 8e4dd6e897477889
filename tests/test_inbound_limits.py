"""Limits on inbound mail: attachments, recipients, messages per sender; nothing over them lost."""

from email.message import EmailMessage as MimeMessage

import pytest
from wagtail.documents import get_document_model
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.test_email_inbound import parse, run_command
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_in import receive_email
from ticketing.records.documents import ticket_documents
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def message(
    number: int = 1, attachments: int = 0, to: int = 1, cc: int = 0, sender: str = "lea"
) -> bytes:
    mime = MimeMessage()
    mime["From"] = f"Léa Bernard <{sender}@fabrikam.example>"
    mime["To"] = ", ".join(["support@guichet.example"] + [f"t{n}@x.example" for n in range(to - 1)])
    if cc:
        mime["Cc"] = ", ".join(f"c{n}@x.example" for n in range(cc))
    mime["Subject"] = f"Scanner problem {number}"
    mime["Message-ID"] = f"<limits-{sender}-{number}@fabrikam.example>"
    mime.set_content("Hello,\nthe scanner jams again.\nLéa\n")
    for n in range(attachments):
        mime.add_attachment(f"log {n}".encode(), "text", "plain", filename=f"log-{n}.txt")
    return mime.as_bytes()


def test_attachments_over_the_limit_stay_in_the_original_message():
    email = receive_email(parse(message(attachments=25)))
    assert email.attachments.count() == 20  # GUICHET_INBOUND_MAX_ATTACHMENTS
    assert get_document_model().objects.filter(title__startswith="log-").count() == 20
    assert email.flagged is True
    assert email.flags == [{"code": "attachments", "count": 25, "limit": 20}]
    assert not ticket_documents(email.ticket).exists()  # held until an agent accepts it
    original = email.raw_message.file.open("rb").read()
    assert b'filename="log-24.txt"' in original
    assert email.raw_message.collection.name == "Ticket attachments"  # private, like the rest


def test_the_attachment_limit_is_a_setting(settings):
    settings.GUICHET_INBOUND_MAX_ATTACHMENTS = 2
    email = receive_email(parse(message(attachments=3)))
    assert email.attachments.count() == 2
    assert email.flags[0]["limit"] == 2


def test_recipients_over_the_limit_are_kept_only_in_the_original_message():
    email = receive_email(parse(message(to=40, cc=30)))
    assert len(email.to) == 40
    assert len(email.cc) == 10  # GUICHET_INBOUND_MAX_RECIPIENTS = 50, To first
    assert email.flagged is True
    assert email.flags == [{"code": "recipients", "count": 70, "limit": 50}]
    assert b"c29@x.example" in email.raw_message.file.open("rb").read()


def test_a_sender_over_the_rate_opens_no_more_tickets(settings):
    settings.GUICHET_INBOUND_MAX_PER_SENDER = 3
    emails = [receive_email(parse(message(number=n))) for n in range(6)]
    assert Ticket.objects.count() == 3
    assert [email.flagged for email in emails] == [False] * 3 + [True] * 3
    latest_ticket = emails[2].ticket
    assert all(email.ticket == latest_ticket for email in emails[3:])
    assert emails[3].flags == [{"code": "sender_rate", "count": 4, "limit": 3, "window": 3600}]
    # Someone else is not held back by Léa's flood.
    assert receive_email(parse(message(number=1, sender="marc"))).flagged is False


def test_the_rate_counts_only_the_window(settings):
    settings.GUICHET_INBOUND_MAX_PER_SENDER = 1
    first = receive_email(parse(message(number=1)))
    EmailMessage.objects.filter(pk=first.pk).update(created_at=first.created_at.replace(year=2020))
    assert receive_email(parse(message(number=2))).flagged is False


def test_the_ticket_and_the_email_page_say_why_the_email_is_held(client, agent):
    email = receive_email(parse(message(attachments=21, to=60)))
    client.force_login(agent)
    ticket_page = client.get(urls.inspect(email.ticket))
    text = ticket_page.content.decode()
    assert "It has 21 attachments; only the first 20 are kept as documents" in text
    assert "It has 60 recipients; only the first 50 are stored" in text
    email_page = client.get(snippet_url("emailmessage", "inspect", email.pk)).content.decode()
    assert "It has 21 attachments; only the first 20 are kept as documents" in email_page
    assert email.raw_message.url in email_page

    UserProfile.objects.update_or_create(user=agent, defaults={"preferred_language": "fr"})
    french = client.get(urls.inspect(email.ticket))
    assert "21 pièces jointes" in french.content.decode()


def test_the_command_says_an_email_is_held(settings):
    settings.GUICHET_INBOUND_MAX_PER_SENDER = 1
    run_command(stdin=message(number=1))
    assert "held for an agent" in run_command(stdin=message(number=2))
