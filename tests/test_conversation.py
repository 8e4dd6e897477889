"""The conversation on a ticket's page (issue 10): emails and notes in time order, replies."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.factories import (
    ContactFactory,
    DocumentFactory,
    EmailMessageFactory,
    EmailTemplateFactory,
    TicketFactory,
)
from ticketing.conversation.bodies import split_body
from ticketing.mail.models import EmailMessage
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.services.notes import add_note
from ticketing.tickets.services.tickets import add_message
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db

CUSTOMER = "claire@acme.example"


def received(ticket, at=None, **fields) -> EmailMessage:
    """A customer's email on `ticket`, as the inbound road stores it (with its timeline row)."""
    email = EmailMessageFactory.build(from_address=CUSTOMER, **fields)
    if at is not None:
        email.created_at = at
    add_message(ticket, email, by=None, direction="inbound")
    if at is not None:
        ticket.timeline.filter(data__email_id=email.pk).update(created_at=at)
    return email


def page(client, ticket, **params) -> str:
    return client.get(urls.inspect(ticket), params).content.decode()


def conversation(text: str) -> str:
    start = text.index('data-testid="conversation"')
    return text[start : text.index('data-testid="conversation-composer"', start)]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_messages_and_notes_in_time_order_newest_at_the_bottom(agent, agent_client):
    ticket = TicketFactory(contact=ContactFactory(email=CUSTOMER))
    start = timezone.now() - datetime.timedelta(hours=3)
    received(ticket, at=start, subject="First", text_body="My printer is broken.")
    note = add_note(ticket, "Known issue with model X", by=agent)
    note.created_at = start + datetime.timedelta(hours=1)
    note.save()
    received(
        ticket, at=start + datetime.timedelta(hours=2), subject="Second", text_body="Any news?"
    )
    thread = conversation(page(agent_client, ticket))
    assert (
        thread.index("My printer is broken.")
        < thread.index("Known issue")
        < thread.index("Any news?")
    )
    assert CUSTOMER in thread
    assert agent.get_full_name() in thread


def test_newest_first_is_remembered_for_the_session(agent, agent_client):
    ticket = TicketFactory()
    start = timezone.now() - datetime.timedelta(hours=1)
    received(ticket, at=start, text_body="Older words")
    received(ticket, at=start + datetime.timedelta(minutes=5), text_body="Newer words")
    first = conversation(page(agent_client, ticket, conversation_order="newest_first"))
    assert first.index("Newer words") < first.index("Older words")
    again = conversation(page(agent_client, TicketFactory()))
    assert 'data-order="newest_first"' in again
    last = conversation(page(agent_client, ticket, conversation_order="newest_last"))
    assert last.index("Older words") < last.index("Newer words")


def test_a_note_looks_internal_and_an_email_shows_its_delivery_status(agent, agent_client):
    ticket = TicketFactory()
    add_note(ticket, "For the team", by=agent)
    received(ticket, text_body="Hello")
    thread = conversation(page(agent_client, ticket))
    assert 'data-testid="note-label"' in thread
    assert "Internal note" in thread
    assert "Visible to the team only" in thread
    assert 'data-testid="delivery-status">Received<' in thread


def test_status_changes_are_one_quiet_line_between_messages(agent, agent_client):
    ticket = TicketFactory()
    received(ticket, text_body="Hello")
    apply_transition(ticket, "start", agent)
    thread = conversation(page(agent_client, ticket))
    assert 'data-testid="conversation-change"' in thread
    assert "Open → In progress" in thread


def test_quoted_history_and_signature_are_folded_away():
    body = split_body(
        "Thanks, it works now.\n\nBest regards,\nJane\n\n"
        "On Mon, 1 Dec 2026 at 10:00, Support <support@guichet.example> wrote:\n"
        "> Did you try restarting it?\n"
    )
    assert body.reply == "Thanks, it works now."
    assert "Jane" in body.signature
    assert "Did you try restarting it?" in body.quoted


def test_the_page_folds_quoted_history(agent_client):
    ticket = TicketFactory()
    received(
        ticket,
        text_body="It works.\n\nOn Mon, 1 Dec 2026 at 10:00, Support <s@x.example> wrote:\n> Old",
    )
    thread = conversation(page(agent_client, ticket))
    assert '<details class="w-mt-2" data-testid="quoted">' in thread


def test_html_email_never_runs_a_script_and_blocks_remote_images(agent_client):
    ticket = TicketFactory()
    email = received(
        ticket,
        text_body="",
        html_body=(
            '<p onclick="steal()">Hi</p><script>alert("x")</script>'
            '<img src="https://tracker.example/pixel.gif">'
        ),
    )
    thread = conversation(page(agent_client, ticket))
    assert "<p>Hi</p>" in thread
    assert "<script>alert" not in thread
    assert "onclick" not in thread
    assert "tracker.example" not in thread
    assert "Remote images are blocked." in thread
    blocked = agent_client.get(urls.conversation_email(ticket, email))
    assert "tracker.example" not in blocked.content.decode()
    shown = agent_client.get(urls.conversation_email(ticket, email), {"images": "1"})
    html = shown.content.decode()
    assert '<img src="https://tracker.example/pixel.gif">' in html
    assert "<script>alert" not in html
    assert "https:" in shown["Content-Security-Policy"].split("img-src")[1].split(";")[0]


def test_an_email_of_another_ticket_is_not_shown_through_this_one(agent_client):
    ticket, other = TicketFactory(), TicketFactory()
    email = received(other, text_body="Private")
    assert agent_client.get(urls.conversation_email(ticket, email)).status_code == 404


def test_attachments_images_as_thumbnails_others_as_chips(agent_client):
    ticket = TicketFactory()
    email = received(ticket, text_body="See attached")
    photo = DocumentFactory(title="photo", file__filename="photo.png")
    invoice = DocumentFactory(title="invoice", file__filename="invoice.pdf")
    email.attachments.set([photo, invoice])
    thread = conversation(page(agent_client, ticket))
    assert thread.count('data-testid="attachment-thumbnail"') == 1
    assert 'alt="photo.png"' in thread
    assert 'data-testid="attachment-chip"' in thread
    assert "invoice.pdf" in thread


def test_reply_is_threaded_under_the_email_replied_to(agent_client, committed):
    ticket = TicketFactory(contact=ContactFactory(email=CUSTOMER))
    first = received(ticket, subject=f"[{ticket.number}] Printer", text_body="Broken",
                     message_id="first@acme.example")  # fmt: skip
    received(ticket, subject="Other", text_body="Later", message_id="later@acme.example",
             references="first@acme.example")  # fmt: skip
    initial = (
        agent_client.get(urls.send_email(ticket), {"reply_to": first.pk, "mode": "reply"})
        .context["form"]
        .initial
    )
    assert initial["to"] == CUSTOMER
    assert initial["subject"] == f"Re: [{ticket.number}] Printer"
    assert "> Broken" in initial["body"]
    with committed():
        agent_client.post(
            urls.send_email(ticket),
            {**initial, "body": "Fixed." + initial["body"], "reply_to": first.pk},
        )
    (sent,) = mail.outbox
    assert sent.extra_headers["In-Reply-To"] == "<first@acme.example>"
    assert sent.extra_headers["References"] == "<first@acme.example>"
    assert f"[{ticket.number}]" in sent.subject


def test_reply_all_copies_the_other_recipients_but_not_us(agent_client, settings):
    ticket = TicketFactory()
    email = received(ticket, to=[settings.DEFAULT_FROM_EMAIL, "marc@acme.example"],
                     cc=["boss@acme.example", CUSTOMER])  # fmt: skip
    initial = (
        agent_client.get(urls.send_email(ticket), {"reply_to": email.pk, "mode": "reply_all"})
        .context["form"]
        .initial
    )
    assert initial["to"] == CUSTOMER
    assert initial["cc"] == "marc@acme.example, boss@acme.example"


def test_forward_starts_empty_with_the_message_and_its_attachments(agent_client):
    ticket = TicketFactory()
    email = received(ticket, subject="Invoice", text_body="Here it is")
    document = DocumentFactory()
    email.attachments.set([document])
    initial = (
        agent_client.get(urls.send_email(ticket), {"reply_to": email.pk, "mode": "forward"})
        .context["form"]
        .initial
    )
    assert initial["to"] == ""
    assert initial["subject"] == f"[{ticket.number}] Fwd: Invoice"
    assert "Forwarded message" in initial["body"]
    assert "Here it is" in initial["body"]
    assert initial["attachments"] == [document.pk]


def test_send_and_close_with_a_solution_closes(agent_client, committed):
    ticket = TicketFactory(solution="New toner")
    with committed():
        response = agent_client.post(
            urls.send_email(ticket),
            {"to": CUSTOMER, "subject": "Done", "body": "Solved", "then": "close"},
            follow=True,
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert len(mail.outbox) == 1
    assert "is now “Closed”" in response.content.decode()


def test_send_and_close_without_a_solution_sends_and_says_why_it_stays_open(
    agent_client, committed
):
    ticket = TicketFactory(solution="")
    with committed():
        response = agent_client.post(
            urls.send_email(ticket),
            {"to": CUSTOMER, "subject": "Done", "body": "Solved", "then": "close"},
            follow=True,
        )
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert len(mail.outbox) == 1  # the email is never lost
    assert "The status was not changed" in response.content.decode()


def test_send_and_wait_for_response_from_an_open_ticket(agent_client, committed):
    ticket = TicketFactory()
    with committed():
        agent_client.post(
            urls.send_email(ticket),
            {"to": CUSTOMER, "subject": "Question", "body": "Which model?",
             "then": "wait_for_response"},
        )  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_the_composer_at_the_end_answers_the_latest_email_and_offers_templates(agent_client):
    ticket = TicketFactory()
    received(ticket, subject="Help", text_body="Please")
    EmailTemplateFactory(name="Thanks")
    text = page(agent_client, ticket)
    composer = text[text.index('data-testid="conversation-composer"') :]
    assert f"[{ticket.number}] Re: Help" in composer
    assert 'name="insert_template"' in composer
    assert "Thanks" in composer
    assert "Send and close" in composer
    assert "Add internal note" in composer


def test_save_in_the_edit_form_returns_to_the_ticket_page(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.edit(ticket), urls.form_data(ticket, title="Renamed"))
    assert response.status_code == 302
    assert response.url == urls.inspect(ticket)


def thread_queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(urls.inspect(ticket)).status_code == 200
    return len(queries)


def test_a_long_thread_costs_the_queries_of_a_short_one(agent, agent_client):
    short, long = TicketFactory(), TicketFactory()
    for ticket, count in ((short, 10), (long, 300)):
        emails = EmailMessageFactory.create_batch(count, ticket=ticket, text_body="Words")
        for email in emails:
            email.attachments.add(DocumentFactory())
            add_message(ticket, email, by=None, direction="inbound")
        add_note(ticket, "@agent look", by=agent)
    thread_queries(agent_client, short)  # the session and caches warmed
    assert thread_queries(agent_client, short) == thread_queries(agent_client, long)
    text = conversation(page(agent_client, long))
    assert text.count('data-testid="conversation-email"') <= 25
    assert 'data-testid="conversation-older"' in text


def test_the_thread_reads_in_french(agent, agent_client):
    profile = UserProfile.get_for_user(agent)
    profile.preferred_language = "fr"
    profile.save()
    ticket = TicketFactory()
    add_note(ticket, "Pour l'équipe", by=agent)
    received(ticket, text_body="Bonjour")
    thread = conversation(page(agent_client, ticket))
    assert "Note interne" in thread
    assert "Répondre à tous" in thread
    assert "Conversation" in thread


def test_a_template_goes_above_the_quoted_message(agent_client):
    ticket = TicketFactory()
    email = received(ticket, subject="Help", text_body="Please help")
    EmailTemplateFactory(name="Toner", subject="Toner", body="A new toner is on its way.")
    initial = (
        agent_client.get(urls.send_email(ticket), {"reply_to": email.pk, "mode": "reply"})
        .context["form"]
        .initial
    )
    template = EmailTemplateFactory._meta.model.objects.get(name="Toner")
    typed = {**initial, "body": "Hello Claire," + initial["body"], "insert_template": template.pk}
    body = agent_client.post(urls.send_email(ticket), typed).context["form"].initial["body"]
    assert body.index("Hello Claire,") < body.index("A new toner") < body.index("> Please help")
    assert "wrote:" in body.split("A new toner is on its way.")[1]
