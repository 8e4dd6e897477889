"""My Hub > Mail manager: times in the reader's time zone, French labels, one status per email."""

import datetime
import re

import pytest
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import TicketFactory
from ticketing.mail.choices import EmailDirection, EmailStatus
from ticketing.mail.models import EmailMessage

pytestmark = pytest.mark.django_db

LISTING = snippet_url("emailmessage", "list")
CREATED = datetime.datetime(2026, 1, 5, 12, 34, tzinfo=datetime.UTC)
SENT = datetime.datetime(2026, 1, 5, 12, 45, tzinfo=datetime.UTC)


def inspect_url(message: EmailMessage) -> str:
    return snippet_url("emailmessage", "inspect", message.pk)


def set_profile(user, *, language: str = "", time_zone: str = "") -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.current_time_zone = time_zone
    profile.save()


def sent_email(ticket=None) -> EmailMessage:
    return EmailMessage.objects.create(
        ticket=ticket,
        direction=EmailDirection.OUTBOUND,
        status=EmailStatus.SENT,
        from_address="support@guichet.example",
        to=["claire@acme.example"],
        subject="Your printer",
        message_id="printer@guichet.example",
        attempts=1,
        created_at=CREATED,
        sent_at=SENT,
    )


def text_of(page: str) -> str:
    main = page[page.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def described(page: str, label: str) -> str:
    """The text of the <dd> after the <dt> reading `label` on an inspect page."""
    match = re.search(rf"<dt>\s*{re.escape(label)}\s*</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert match, f"no {label!r} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.mark.parametrize(("time_zone", "created", "sent"), [
    ("America/New_York", "7:34 a.m.", "7:45 a.m."),
    ("Asia/Tokyo", "9:34 p.m.", "9:45 p.m."),
])  # fmt: skip
def test_the_email_page_shows_times_in_the_readers_time_zone(
    client, agent, time_zone, created, sent
):
    set_profile(agent, time_zone=time_zone)
    message = sent_email()
    client.force_login(agent)
    page = client.get(inspect_url(message)).content.decode()
    assert described(page, "Created").endswith(created)
    assert described(page, "Sent").endswith(sent)


def test_the_email_page_without_a_time_zone_uses_the_sites(client, agent):
    message = sent_email()
    client.force_login(agent)
    page = client.get(inspect_url(message)).content.decode()
    assert described(page, "Created").endswith("1:34 p.m.")  # Europe/Paris in January


def test_the_mail_manager_list_shows_times_in_the_readers_time_zone(client, agent):
    set_profile(agent, time_zone="America/New_York")
    sent_email()
    client.force_login(agent)
    page = text_of(client.get(LISTING).content.decode())
    assert "Jan. 5, 2026, 7:34 a.m." in page
    assert "12:34" not in page


def test_the_mail_manager_reads_french(client, agent):
    set_profile(agent, language="fr")
    message = sent_email()
    client.force_login(agent)
    listing = text_of(client.get(LISTING).content.decode())
    assert "Statut précédent" not in listing
    assert " De " in listing

    page = client.get(inspect_url(message)).content.decode()
    assert "Statut précédent" not in page
    assert "Nouveau statut" not in page
    assert "Attempts" not in page
    assert described(page, "De") == "support@guichet.example"
    assert described(page, "À") == "claire@acme.example"
    assert described(page, "Tentatives") == "1"


def test_the_ticket_shows_each_emails_status_once(client, agent):
    ticket = TicketFactory()
    sent_email(ticket)
    client.force_login(agent)
    page = client.get(urls.inspect(ticket)).content.decode()
    shown = re.search(r'data-email-status="sent">([^<]*)</span>', page).group(1)
    assert shown.strip() == "Sent"
