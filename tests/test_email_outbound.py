"""Sending email from a ticket (S13): composer, queue, retries, threading, resend."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import ContactFactory, EmailMessageFactory, EmailTemplateFactory, TicketFactory
from tests.timeline_rows import timeline_html
from ticketing.mail.choices import EmailStatus
from ticketing.mail.models import EmailMessage
from ticketing.mail.services.email_out import deliver_email_message, queue_ticket_email
from ticketing.records.documents import ticket_documents
from ticketing.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the email queue) at the end of each block, as in life."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_composer_defaults_to_the_contact_and_the_ticket_token(agent_client):
    ticket = TicketFactory(title="Printer", contact=ContactFactory(email="claire@acme.example"))
    initial = agent_client.get(urls.send_email(ticket)).context["form"].initial
    assert initial["to"] == "claire@acme.example"
    assert initial["subject"] == f"[{ticket.number}] Printer"


def test_template_fills_placeholders(agent_client, agent):
    ticket = TicketFactory(title="Toner", solution="New cartridge", contact=ContactFactory())
    template = EmailTemplateFactory(
        name="Solved",
        subject="Your request {{ ticket.number }}",
        body="Hello {{ contact.name }}, {{ ticket.solution }}. {{ agent.name }}",
    )
    initial = (
        agent_client.get(urls.send_email(ticket), {"template": template.pk}).context["form"].initial
    )
    assert initial["subject"] == f"[{ticket.number}] Your request {ticket.number}"
    assert initial["body"] == f"Hello {ticket.contact}, New cartridge. {agent.get_full_name()}"


def test_sending_stores_the_email_on_the_ticket_and_sends_it(agent_client, agent, committed):
    ticket = TicketFactory()
    with committed():
        response = agent_client.post(
            urls.send_email(ticket),
            {"to": "claire@acme.example, marc@acme.example", "cc": "boss@acme.example",
             "subject": f"[{ticket.number}] About your printer", "body": "Hello"},
        )  # fmt: skip
    assert response.status_code == 302
    message = ticket.emails.get()
    assert message.status == EmailStatus.SENT
    assert message.to == ["claire@acme.example", "marc@acme.example"]
    assert message.sent_by == agent
    sent = mail.outbox[0]
    assert sent.subject == f"[{ticket.number}] About your printer"
    assert sent.cc == ["boss@acme.example"]
    assert sent.extra_headers["Message-ID"] == f"<{message.message_id}>"


def test_the_token_is_added_when_the_agent_removed_it(agent):
    ticket = TicketFactory()
    message = queue_ticket_email(ticket, agent, ["a@example.com"], [], "No token", "x")
    assert message.subject == f"[{ticket.number}] No token"


def test_bad_addresses_are_refused_and_nothing_is_stored(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(
        urls.send_email(ticket), {"to": "claire@, not-an-address", "subject": "x", "body": "y"}
    )
    assert response.status_code == 200
    assert "is not a valid email address" in response.content.decode()
    assert not EmailMessage.objects.exists()
    assert mail.outbox == []


def test_replies_carry_the_thread_headers(agent, committed):
    ticket = TicketFactory()
    with committed():
        first = queue_ticket_email(ticket, agent, ["a@example.com"], [], "One", "x")
    with committed():
        second = queue_ticket_email(ticket, agent, ["a@example.com"], [], "Two", "y")
    assert second.in_reply_to == first.message_id
    assert mail.outbox[1].extra_headers["In-Reply-To"] == f"<{first.message_id}>"


def test_attachments_come_from_the_ticket_documents(agent_client, committed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = TicketFactory()
    upload = urls.upload_document(ticket)
    agent_client.post(upload, {"title": "Invoice", "file": SimpleUploadedFile("inv.txt", b"42")})
    document = ticket_documents(ticket).get()
    with committed():
        agent_client.post(
            urls.send_email(ticket),
            {"to": "a@example.com", "subject": "Invoice", "body": "Attached",
             "attachments": [document.pk]},
        )  # fmt: skip
    assert mail.outbox[0].attachments[0][0] == "inv.txt"
    assert ticket.emails.get().attachments.get() == document


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_provider_errors_are_retried_later_then_failed_without_touching_the_ticket(settings):
    """With the production queue: each failure schedules the next attempt, the last one fails."""
    from django_tasks_db.models import DBTaskResult

    from tests.factories import UserFactory

    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["email"]},
    }
    settings.GUICHET_EMAIL_RETRY_DELAYS = [60, 300]
    agent = UserFactory(username="retry-agent", role="Support agents")
    ticket = TicketFactory()
    version = Ticket.objects.get(pk=ticket.pk).version
    message = queue_ticket_email(ticket, agent, ["a@example.com"], [], "Hi", "x")
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionError("ESP down")
    ):
        message = deliver_email_message(message.pk)
        assert message.status == EmailStatus.QUEUED
        assert message.attempts == 1
        assert "ESP down" in message.last_error
        assert DBTaskResult.objects.filter(run_after=message.next_attempt_at).count() == 1
        deliver_email_message(message.pk)
        message = deliver_email_message(message.pk)
    assert message.status == EmailStatus.FAILED
    assert message.attempts == 3
    assert Ticket.objects.get(pk=ticket.pk).version == version


def test_without_a_queue_that_can_wait_a_failure_is_reported_at_once(agent, committed):
    ticket = TicketFactory()
    fail = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("no"))
    with fail, committed():
        message = queue_ticket_email(ticket, agent, ["a@example.com"], [], "Hi", "x")
    message.refresh_from_db()
    assert message.status == EmailStatus.FAILED
    assert message.last_error == "no"


def test_failed_email_is_shown_on_the_ticket_and_can_be_sent_again(agent_client, agent, committed):
    ticket = TicketFactory()
    fail = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("no"))
    with fail, committed():
        message = queue_ticket_email(ticket, agent, ["a@example.com"], [], "Hi", "x")
    message.refresh_from_db()
    assert message.status == EmailStatus.FAILED
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    assert 'data-email-status="failed"' in page
    resend = urls.resend_email(ticket, message)
    assert resend in page
    with committed():
        agent_client.post(resend)
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_an_unlinked_email_can_be_linked_and_moved(agent_client):
    first, second = TicketFactory(), TicketFactory()
    email = EmailMessageFactory(subject="Loose")
    link = urls.link(first, "emails")
    agent_client.post(link, {"record": email.pk})
    email.refresh_from_db()
    assert email.ticket == first
    agent_client.post(urls.link(second, "emails"), {"record": email.pk})
    email.refresh_from_db()
    assert email.ticket == second
    history = timeline_html(agent_client, first)
    assert "unlinked: Loose" in history


def test_email_html_is_sanitised_when_read(agent_client):
    email = EmailMessageFactory(html_body='<p onclick="steal()">Hi<script>x()</script></p>')
    page = agent_client.get(snippet_url("emailmessage", "inspect", email.pk)).content.decode()
    assert "<p>Hi</p>" in page
    assert "steal()" not in page
    assert "<script>x()" not in page


def test_emails_are_read_only_and_hidden_from_marketers(agent_client, marketer):
    email = EmailMessageFactory(subject="Secret")
    edit = snippet_url("emailmessage", "edit", email.pk)
    assert agent_client.get(edit).status_code == 302
    client = Client()
    client.force_login(marketer)
    for url in [
        snippet_url("emailmessage", "list"),
        snippet_url("emailmessage", "inspect", email.pk),
        urls.send_email(TicketFactory()),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert b"Secret" not in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_production_queue_sends_through_the_database_worker(settings):
    """With the database-backed queue, nothing is sent until `db_worker` runs the task."""
    from django.core.management import call_command

    from tests.factories import UserFactory

    # Setting TASKS makes django-tasks drop its cached backends (a setting_changed receiver).
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["email"]},
    }
    agent = UserFactory(username="worker-agent", role="Support agents")
    ticket = TicketFactory()
    message = queue_ticket_email(ticket, agent, ["a@example.com"], [], "Queued", "x")
    message.refresh_from_db()
    assert message.status == EmailStatus.QUEUED
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--backend", "email", "--queue-name", "email")
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == [f"[{ticket.number}] Queued"]
