"""CSV and XLSX exports: safe to open, in the reader's time zone and language, with names."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest
from wagtail.users.models import UserProfile

from tests import admin_urls as urls
from tests.factories import AccountFactory, TicketFactory, UserFactory
from ticketing.tickets.models import Ticket, TicketCategory

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '=HYPERLINK("http://evil","x")'
CREATED = datetime.datetime(2026, 7, 14, 8, 30, tzinfo=datetime.UTC)


def csv_rows(client, **params) -> list[dict]:
    response = client.get(urls.listing(), {"export": "csv", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def xlsx_sheet(client, **params):
    response = client.get(urls.listing(), {"export": "xlsx", **params})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def cell(sheet, heading: str):
    headings = [c.value for c in sheet[1]]
    return sheet.cell(row=2, column=headings.index(heading) + 1)


def hostile_ticket() -> Ticket:
    category = TicketCategory.objects.create(name="+SUM(1,2)")
    account = AccountFactory(name="@cmd|' /C calc'!A0")
    return TicketFactory(title=HOSTILE_TITLE, category=category, account=account)


def set_profile(user, *, time_zone: str = "", language: str = "") -> None:
    profile = UserProfile.get_for_user(user)
    profile.current_time_zone = time_zone
    profile.preferred_language = language
    profile.save()


def test_csv_cells_never_start_a_formula(agent_client):
    hostile_ticket()
    TicketFactory(title="-1+2")
    TicketFactory(title="\tTabbed")
    rows = {row["Ticket no."]: row for row in csv_rows(agent_client)}
    first = rows["TT-000001"]
    assert first["Title"] == "'" + HOSTILE_TITLE
    assert first["Category"] == "'+SUM(1,2)"
    assert first["Related to"] == "'@cmd|' /C calc'!A0"
    assert rows["TT-000002"]["Title"] == "'-1+2"
    assert rows["TT-000003"]["Title"] == "'\tTabbed"
    for row in rows.values():
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())


def test_xlsx_cells_are_strings_not_formulas(agent_client):
    hostile_ticket()
    sheet = xlsx_sheet(agent_client)
    for heading, value in [
        ("Title", HOSTILE_TITLE),
        ("Category", "+SUM(1,2)"),
        ("Related to", "@cmd|' /C calc'!A0"),
    ]:
        assert cell(sheet, heading).data_type == "s"
        assert cell(sheet, heading).value == value


def test_csv_times_carry_the_readers_offset(client, agent):
    set_profile(agent, time_zone="America/New_York")
    ticket = TicketFactory()
    Ticket.objects.filter(pk=ticket.pk).update(created_at=CREATED)
    client.force_login(agent)
    row = csv_rows(client)[0]
    assert row["Created"] == "2026-07-14T04:30:00-04:00"
    assert datetime.datetime.fromisoformat(row["Last update"]).utcoffset() is not None


def test_people_appear_by_name_in_both_formats(agent_client):
    TicketFactory(assigned_to=UserFactory(username="jdoe", first_name="Jeanne", last_name="Doe"))
    assert csv_rows(agent_client)[0]["Assigned to"] == "Jeanne Doe"
    assert cell(xlsx_sheet(agent_client), "Assigned to").value == "Jeanne Doe"


def test_csv_times_default_to_the_site_time_zone(agent_client, settings):
    ticket = TicketFactory()
    Ticket.objects.filter(pk=ticket.pk).update(created_at=CREATED)
    assert settings.TIME_ZONE == "Europe/Paris"
    assert csv_rows(agent_client)[0]["Created"] == "2026-07-14T10:30:00+02:00"


def test_xlsx_times_are_local_dates_with_the_zone_in_the_heading(client, agent):
    set_profile(agent, time_zone="Asia/Tokyo")
    ticket = TicketFactory()
    Ticket.objects.filter(pk=ticket.pk).update(created_at=CREATED)
    client.force_login(agent)
    sheet = xlsx_sheet(client)
    created = cell(sheet, "Created (Asia/Tokyo)")
    assert created.is_date
    assert created.value == datetime.datetime(2026, 7, 14, 17, 30)
    assert CREATED.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).replace(tzinfo=None) == (
        created.value
    )


def test_person_without_a_full_name_appears_by_username(agent_client):
    TicketFactory(assigned_to=UserFactory(username="nobody", first_name="", last_name=""))
    assert csv_rows(agent_client)[0]["Assigned to"] == "nobody"


def test_csv_is_written_in_the_readers_language(client, agent):
    set_profile(agent, language="fr")
    TicketFactory(priority="high")
    client.force_login(agent)
    row = csv_rows(client)[0]
    assert row["Priorité"] == "Haute"
    assert row["Statut"] == "Ouvert"


def test_every_listing_exports_through_the_safe_mixin():
    from ticketing.common.views.exports import SafeExportMixin
    from ticketing.desk.menus import MENU_GROUPS

    viewsets = [viewset for group in MENU_GROUPS for viewset in group.items]
    assert len(viewsets) >= 15
    for viewset in viewsets:
        assert issubclass(viewset.index_view_class, SafeExportMixin), viewset.__name__
