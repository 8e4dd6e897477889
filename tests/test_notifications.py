"""Told in time (issue 10): who is notified of what, in the admin and by email."""

from unittest import mock

import pytest
from anymail.inbound import AnymailInboundMessage
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.factories import (
    ContactFactory,
    EmailMessageFactory,
    NotificationFactory,
    NotificationPreferenceFactory,
    TicketFactory,
    TimelineEntryFactory,
    UserFactory,
)
from ticketing.mail.choices import EmailDirection
from ticketing.mail.services.email_in import receive_email
from ticketing.mail.services.email_out import queue_ticket_email
from ticketing.notifications.choices import NotificationKind
from ticketing.notifications.models import Notification, NotificationPreference
from ticketing.tickets.events import NoteAdded, publish
from ticketing.tickets.services.tickets import assign_ticket, open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the event receivers, the queue) at the end of the block."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", role="Support agents")


def told(kind=None) -> set[str]:
    """The usernames notified (of `kind`)."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


def emailed() -> set[str]:
    return {address for email in mail.outbox for address in email.to}


def inbound(sender: str, subject: str, text: str) -> AnymailInboundMessage:
    return AnymailInboundMessage.construct(from_email=sender, subject=subject, text=text)


# --- The rules --------------------------------------------------------------------------------


def test_a_new_unassigned_ticket_tells_the_team_but_not_its_author(
    committed, agent, colleague, manager, marketer, superuser
):
    with committed():
        open_ticket(by=agent, title="Printer on fire", description="Smoke")
    # The team is support staff: agents and managers (and superusers); marketers see no ticket.
    assert told(NotificationKind.NEW_TICKET) == {"colleague", "manager", "root"}
    assert emailed() == {"colleague@example.com", "manager@example.com", "root@example.com"}


def test_a_ticket_assigned_at_creation_tells_its_assignee_only(
    committed, agent, colleague, manager
):
    with committed():
        open_ticket(by=agent, title="Printer", assigned_to=colleague)
    assert told() == {"colleague"}


def test_a_ticket_opened_by_email_tells_the_team_once(committed, agent, colleague):
    with committed():
        receive_email(inbound("claire@acme.example", "Printer broken", "It smokes."))
    # The opening email is the new ticket, not a "customer reply" as well.
    kinds = Notification.objects.values_list("recipient__username", "kind")
    assert sorted(kinds) == [("agent", "new_ticket"), ("colleague", "new_ticket")]
    assert len(mail.outbox) == 2


def test_an_assignment_tells_the_new_assignee(committed, agent, colleague, manager):
    ticket = TicketFactory()
    with committed():
        assign_ticket(ticket, colleague, by=manager)
    assert told(NotificationKind.ASSIGNED) == {"colleague"}
    assert told() == {"colleague"}


def test_taking_a_ticket_yourself_tells_nobody(committed, agent, colleague):
    ticket = TicketFactory()
    with committed():
        assign_ticket(ticket, agent, by=agent)
    assert told() == set()
    assert mail.outbox == []


def test_unassigning_tells_nobody(committed, agent, colleague):
    ticket = TicketFactory(assigned_to=colleague)
    with committed():
        assign_ticket(ticket, None, by=agent)
    assert told() == set()


def test_a_customer_reply_tells_the_assignee(committed, agent, colleague):
    ticket = TicketFactory(assigned_to=colleague, contact=ContactFactory(email="claire@acme.ex"))
    with committed():
        receive_email(
            inbound(
                "claire@acme.ex",
                f"Re: [{ticket.number}] Printer",
                "Still smoking.\nAnd now beeping.\n\n> earlier text",
            )
        )
    assert told() == {"colleague"}
    notification = Notification.objects.get()
    assert notification.kind == NotificationKind.CUSTOMER_REPLY
    assert notification.actor is None
    (email,) = mail.outbox
    assert "Still smoking.\nAnd now beeping." in email.body


def test_a_customer_reply_on_an_unassigned_ticket_tells_the_team(committed, agent, colleague):
    ticket = TicketFactory(contact=ContactFactory(email="claire@acme.ex"))
    with committed():
        receive_email(inbound("claire@acme.ex", f"[{ticket.number}] More", "Details."))
    assert told(NotificationKind.CUSTOMER_REPLY) == {"agent", "colleague"}


def test_an_agents_own_email_tells_nobody(committed, agent, colleague):
    ticket = TicketFactory(assigned_to=colleague)
    with committed():
        queue_ticket_email(ticket, agent, ["claire@acme.ex"], [], "Answer", "Hello")
    assert told() == set()
    assert emailed() == {"claire@acme.ex"}


def mention(ticket, by, mentioned, body="@colleague can you look?"):
    entry = TimelineEntryFactory(ticket=ticket, kind="note", data={"body": body}, actor=by)
    publish(
        NoteAdded(
            ticket_id=ticket.pk,
            actor_id=by.pk,
            entry_id=entry.pk,
            mentioned_user_ids=tuple(user.pk for user in mentioned),
        )
    )


def test_a_mention_tells_each_mentioned_agent_but_not_the_author(
    committed, agent, colleague, manager
):
    ticket = TicketFactory()
    with committed():
        mention(ticket, agent, [colleague, manager, agent], "@colleague @manager @agent look")
    assert told(NotificationKind.MENTION) == {"colleague", "manager"}
    assert told() == {"colleague", "manager"}
    email = next(email for email in mail.outbox if email.to == ["colleague@example.com"])
    assert "@colleague @manager @agent look" in email.body


def test_nobody_who_cannot_see_the_ticket_is_told(committed, agent, marketer):
    ticket = TicketFactory()
    with committed():
        mention(ticket, agent, [marketer], "@marketer internal remark")
        assign_ticket(ticket, marketer, by=agent)
    assert told() == set()
    assert mail.outbox == []


def test_an_inactive_agent_is_not_told(committed, agent, colleague):
    colleague.is_active = False
    colleague.save()
    with committed():
        open_ticket(by=agent, title="Printer")
    assert told() == set()


# --- Delivery ---------------------------------------------------------------------------------


def test_the_request_only_queues_the_notifications(agent_client, committed, colleague):
    with (
        mock.patch("ticketing.notifications.delivery.deliver_notifications") as task,
        committed(),
    ):
        response = agent_client.post(urls.add(), urls.form_data(title="Queued"))
    assert response.status_code == 302
    task.enqueue.assert_called_once()
    (payload,) = task.enqueue.call_args.args
    assert payload["event"] == "TicketOpened"
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_delivers_them(settings):
    from django.core.management import call_command

    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["email"]},
    }
    author = UserFactory(username="worker-author", role="Support agents")
    UserFactory(username="worker-colleague", role="Support agents")
    open_ticket(by=author, title="Later")
    assert not Notification.objects.exists()
    call_command("db_worker", "--batch", "--backend", "email", "--queue-name", "email")
    assert "worker-colleague" in told()
    assert "worker-colleague@example.com" in emailed()


def test_email_switched_off_keeps_the_notification_in_the_admin(committed, agent, colleague):
    NotificationPreferenceFactory(user=colleague, kind=NotificationKind.ASSIGNED, by_email=False)
    ticket = TicketFactory()
    with committed():
        assign_ticket(ticket, colleague, by=agent)
    assert told() == {"colleague"}
    assert mail.outbox == []
    # Another kind still comes by email.
    with committed():
        mention(TicketFactory(), agent, [colleague])
    assert emailed() == {"colleague@example.com"}


def test_the_email_is_in_the_recipients_language(committed, agent, colleague):
    UserProfile.get_for_user(colleague)
    colleague.wagtail_userprofile.preferred_language = "fr"
    colleague.wagtail_userprofile.save()
    ticket = TicketFactory(title="Imprimante")
    with committed():
        assign_ticket(ticket, colleague, by=agent)
    (email,) = mail.outbox
    assert email.subject == f"[{ticket.number}] Attribué à vous : Imprimante"
    assert f"vous a attribué le ticket {ticket.number}" in email.body
    assert "Ouvrir le ticket" in email.body


def test_the_email_carries_the_ticket_token_and_threads_on_its_conversation(
    committed, agent, colleague, settings
):
    ticket = TicketFactory(title="Printer")
    last = EmailMessageFactory(
        ticket=ticket, direction=EmailDirection.INBOUND, message_id="last@acme.ex"
    )
    with committed():
        assign_ticket(ticket, colleague, by=agent)
    (email,) = mail.outbox
    assert email.subject == f"[{ticket.number}] Assigned to you: Printer"
    assert email.extra_headers["In-Reply-To"] == f"<{last.message_id}>"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    notification = Notification.objects.get()
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + urls.open_notification(notification)
    assert link in email.body


def test_an_agents_reply_to_the_notification_lands_on_the_ticket(committed, agent, colleague):
    ticket = TicketFactory(title="Printer")
    with committed():
        assign_ticket(ticket, colleague, by=agent)
    (email,) = mail.outbox
    with committed():
        stored = receive_email(inbound(colleague.email, f"Re: {email.subject}", "On it."))
    assert stored.ticket == ticket


# --- In the admin -----------------------------------------------------------------------------


def test_the_menu_shows_the_unread_count_on_every_page(client, agent):
    NotificationFactory.create_batch(3, recipient=agent)
    NotificationFactory(recipient=agent, read_at="2026-01-01T00:00:00Z")
    NotificationFactory()  # someone else's
    client.force_login(agent)
    for url in (urls.listing(), urls.notifications()):
        assert "Notifications (3)" in client.get(url).content.decode()


def test_the_menus_count_costs_one_query_however_many_notifications(client, agent):
    client.force_login(agent)

    def queries_for_notifications() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            client.get(urls.listing())
        mine = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
        return len(mine), len(queries.captured_queries)

    NotificationFactory(recipient=agent)
    one, total_one = queries_for_notifications()
    NotificationFactory.create_batch(30, recipient=agent)
    many, total_many = queries_for_notifications()
    assert one == many == 1
    assert total_one == total_many


def test_a_former_agent_with_unread_notifications_still_gets_the_count_in_one_query(
    client, marketer
):
    NotificationFactory.create_batch(2, recipient=marketer)
    client.force_login(marketer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(urls.notifications()).content.decode()
    assert "Notifications (2)" in html
    # The menu's count: the unread ones (the list's paginator counts them all, once).
    counts = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(") and "notifications_notification" in q["sql"]
        and '"read_at" IS NULL' in q["sql"]
    ]  # fmt: skip
    assert len(counts) == 1


def test_the_list_shows_mine_newest_first_with_unread_marked(client, agent, colleague):
    old = NotificationFactory(
        recipient=agent, ticket=TicketFactory(title="Old one"), read_at="2026-01-01T00:00:00Z"
    )
    new = NotificationFactory(
        recipient=agent,
        ticket=TicketFactory(title="New one"),
        kind=NotificationKind.ASSIGNED,
        actor=colleague,
    )
    NotificationFactory(ticket=TicketFactory(title="Not mine"))
    client.force_login(agent)
    html = client.get(urls.notifications()).content.decode()
    assert "Not mine" not in html
    assert html.index("New one") < html.index("Old one")
    assert f"{colleague.get_full_name()} assigned ticket {new.ticket.number} to you" in html
    assert html.count("guichet-notification--unread") == 1
    assert urls.open_notification(old) in html


def test_opening_a_notification_marks_it_read_and_shows_its_ticket(client, agent):
    notification = NotificationFactory(recipient=agent)
    client.force_login(agent)
    response = client.get(urls.open_notification(notification))
    assert response.status_code == 302
    assert response.url == urls.inspect(notification.ticket)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_never_opens_a_ticket_its_user_cannot_see(client, marketer):
    notification = NotificationFactory(recipient=marketer)
    client.force_login(marketer)
    assert client.get(urls.open_notification(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_someone_elses_notification_is_not_found(client, agent):
    notification = NotificationFactory()
    client.force_login(agent)
    assert client.get(urls.open_notification(notification)).status_code == 404


def test_mark_all_read(client, agent):
    NotificationFactory.create_batch(2, recipient=agent)
    others = NotificationFactory()
    client.force_login(agent)
    assert client.get(urls.mark_all_notifications_read()).status_code == 405
    response = client.post(urls.mark_all_notifications_read())
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None
    assert "Notifications (" not in client.get(urls.notifications()).content.decode()


def test_mark_all_read_needs_the_csrf_token(agent):
    from django.test import Client

    NotificationFactory(recipient=agent)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(urls.mark_all_notifications_read()).status_code == 403


def test_email_switches_in_the_account_settings(client, agent):
    client.force_login(agent)
    page = client.get(urls.account_settings())
    assert "Help desk notifications by email" in page.content.decode()
    panels = [panel for tab in page.context["panels_by_tab"].values() for panel in tab]
    panel = next(panel for panel in panels if panel.name == "guichet_notifications")
    # All on by default.
    assert all(field.initial for field in panel.get_form().fields.values())
    data = {
        f"{panel.name}-{kind}": "on"
        for kind in ("new_ticket", "assigned", "mention")  # customer_reply left unticked
    }
    data.update(
        {
            "name_email-first_name": agent.first_name,
            "name_email-last_name": agent.last_name,
            "name_email-email": agent.email,
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        }
    )
    response = client.post(urls.account_settings(), data)
    assert response.status_code == 302
    off = NotificationPreference.objects.filter(user=agent, by_email=False)
    assert set(off.values_list("kind", flat=True)) == {"customer_reply"}


def test_marketers_have_no_notification_settings_or_menu(client, marketer):
    client.force_login(marketer)
    html = client.get(urls.account_settings()).content.decode()
    assert "Help desk notifications by email" not in html
