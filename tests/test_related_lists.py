"""The ticket as a hub (S16–S27): related lists, create from the ticket, link, unlink."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from tests import admin_urls as urls
from tests.admin_urls import chooser_url, snippet_url
from tests.factories import (
    ActivityFactory,
    DocumentFactory,
    ProjectFactory,
    QuoteFactory,
    SalesOrderFactory,
    ServiceContractFactory,
    ServiceFactory,
    TicketFactory,
)
from tests.timeline_rows import timeline_html
from ticketing.records.choices import ActivityStatus
from ticketing.records.documents import ticket_documents
from ticketing.records.models.catalogue import Expense, Service
from ticketing.records.models.contracts import ServiceContract
from ticketing.records.models.hub import Activity
from ticketing.records.models.projects import Project, Timesheet
from ticketing.records.models.sales import Quote, SalesOrder
from ticketing.tickets.related_lists import related_list

pytestmark = pytest.mark.django_db

Document = get_document_model()


class FormTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "form":
            self.forms.append(dict(attrs))


def form_action(page) -> str:
    """Where the browser posts the record's add form: its `action`, as the page renders it."""
    tags = FormTags()
    tags.feed(page.content.decode())
    (form,) = [form for form in tags.forms if form.get("id") == "w-editor-form"]
    return form["action"]


def fill_every_list(ticket, count: int, user) -> None:
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(subject=f"a{i}", ticket=ticket, due_at=now,
                 status=ActivityStatus.CLOSED if i % 2 else ActivityStatus.OPEN)
        for i in range(count)
    )  # fmt: skip
    Expense.objects.bulk_create(
        Expense(description=f"e{i}", amount=Decimal("1.50"), ticket=ticket) for i in range(count)
    )
    Timesheet.objects.bulk_create(
        Timesheet(hours=Decimal("0.5"), ticket=ticket, user=user) for i in range(count)
    )
    ticket.services.add(*Service.objects.bulk_create(Service(name=f"s{i}") for i in range(count)))
    ticket.projects.add(*Project.objects.bulk_create(Project(name=f"p{i}") for i in range(count)))
    ticket.quotes.add(
        *Quote.objects.bulk_create(
            Quote(number=f"QT-{ticket.pk}-{i}", subject="q") for i in range(count)
        )
    )
    ticket.sales_orders.add(
        *SalesOrder.objects.bulk_create(
            SalesOrder(number=f"SO-{ticket.pk}-{i}", subject="o") for i in range(count)
        )
    )
    ticket.service_contracts.add(
        *ServiceContract.objects.bulk_create(
            ServiceContract(number=f"SC-{ticket.pk}-{i}", subject="c") for i in range(count)
        )
    )


def test_detail_page_queries_do_not_grow_with_linked_records(
    agent_client, agent, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = TicketFactory(), TicketFactory()
    fill_every_list(small, 1, agent)
    fill_every_list(large, 300, agent)
    with CaptureQueriesContext(connection) as few:
        agent_client.get(urls.inspect(small))
    with CaptureQueriesContext(connection) as many:
        page = agent_client.get(urls.inspect(large)).content.decode()
    assert len(few) == len(many)
    assert "(300)" in page
    assert "(150)" in page  # open activities, and closed ones in the activity history
    assert "See all 300" in page
    assert page.count("QT-") <= 5 + 1
    assert "Time spent: 150.00 h" in page
    assert "€450.00" in page


def test_create_activity_from_the_ticket_and_come_back(agent_client, agent):
    ticket = TicketFactory()
    add = snippet_url("activity", "add")
    query = f"?ticket={ticket.pk}&next={urls.inspect(ticket)}"
    form = agent_client.get(add + query)
    assert form.context["form"].initial["ticket"] == ticket.pk
    response = agent_client.post(
        form_action(form),
        {"activity_type": "call", "subject": "Call the customer", "status": "open",
         "due_at": "2026-12-01 10:00", "ticket": ticket.pk, "description": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.url == urls.inspect(ticket)
    assert ticket.activities.get().subject == "Call the customer"


def test_create_quote_from_the_ticket_links_it(agent_client):
    ticket = TicketFactory()
    add = snippet_url("quote", "add")
    form = agent_client.get(f"{add}?ticket={ticket.pk}&next={urls.inspect(ticket)}")
    response = agent_client.post(
        form_action(form),
        {"subject": "New toner", "status": "draft", "total": "12.50", "date": "2026-11-29"},
    )
    assert response.status_code == 302
    assert response.url == urls.inspect(ticket)
    quote = ticket.quotes.get()
    assert quote.number == "QT-000001"


def test_create_from_ticket_never_redirects_off_site(agent_client):
    ticket = TicketFactory()
    add = snippet_url("expense", "add")
    form = agent_client.get(f"{add}?ticket={ticket.pk}&next=https://evil.example/")
    response = agent_client.post(
        form_action(form),
        {"date": "2026-11-29", "amount": "3", "currency": "EUR", "description": "Taxi",
         "ticket": ticket.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert "evil" not in response.url


def test_link_and_unlink_an_existing_record_appear_in_history(agent_client):
    ticket = TicketFactory()
    quote = QuoteFactory(subject="Existing quote")
    assert agent_client.get(urls.link(ticket, "quotes")).status_code == 200
    response = agent_client.post(urls.link(ticket, "quotes"), {"record": quote.pk}, follow=True)
    assert "is now linked to the ticket" in response.content.decode()
    assert list(ticket.quotes.all()) == [quote]

    unlink = urls.unlink(ticket, "quotes", quote)
    assert "The record itself is kept" in agent_client.get(unlink).content.decode()
    agent_client.post(unlink)
    assert not ticket.quotes.exists()
    assert Quote.objects.filter(pk=quote.pk).exists()

    m2m_changes = [
        entry.changes_dict.get("quotes")
        for entry in LogEntry.objects.get_for_object(ticket)
        if "quotes" in entry.changes_dict
    ]
    assert [change["operation"] for change in m2m_changes] == ["delete", "add"]
    rows = ticket.timeline.order_by("created_at", "pk").values_list("kind", "data__record_id")
    assert list(rows) == [("link", quote.pk), ("unlink", quote.pk)]


def test_link_refuses_unknown_record_and_unknown_list(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.link(ticket, "quotes"), {"record": 424242})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert agent_client.get(urls.link(ticket, "activities")).status_code == 404
    assert agent_client.get(urls.link(ticket, "nonsense")).status_code == 404


def test_agent_cannot_link_a_record_they_may_not_see(client):
    from tests.factories import UserFactory

    limited = UserFactory(username="limited")
    from django.contrib.auth.models import Permission

    limited.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="tickets", codename__in=["change_ticket", "view_ticket"]
        ),
        Permission.objects.get(codename="access_admin"),
    )
    ticket = TicketFactory()
    quote = QuoteFactory(subject="Hidden")
    client.force_login(limited)
    response = client.post(urls.link(ticket, "quotes"), {"record": quote.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ticket.quotes.exists()


def test_closing_an_activity_moves_it_to_the_history(agent_client):
    ticket = TicketFactory()
    activity = ActivityFactory(subject="Visit", ticket=ticket)
    close = urls.close_activity(ticket, activity)
    agent_client.post(close)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CLOSED
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    history = page.split('data-related-list="activity_history"')[1].split("</section>")[0]
    assert "Visit" in history


def test_documents_are_private(agent_client, marketer):
    ticket = TicketFactory()
    upload = urls.upload_document(ticket)
    file = SimpleUploadedFile("invoice.txt", b"Invoice 42", content_type="text/plain")
    agent_client.post(upload, {"title": "Invoice", "file": file})
    document = ticket_documents(ticket).get()
    assert document.collection.name == "Ticket attachments"

    download = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
    response = agent_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Invoice 42"

    anonymous = Client().get(download)
    assert anonymous.status_code in (302, 403)
    assert b"Invoice 42" not in anonymous.content

    marketer_client = Client()
    marketer_client.force_login(marketer)
    refused = marketer_client.get(download)
    assert refused.status_code in (302, 403)
    assert b"Invoice 42" not in refused.content


def test_upload_refuses_a_dangerous_file_type(agent_client):
    ticket = TicketFactory()
    upload = urls.upload_document(ticket)
    file = SimpleUploadedFile("evil.html", b"<script>x</script>", content_type="text/html")
    response = agent_client.post(upload, {"title": "Evil", "file": file})
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_deleting_a_linked_record_unlinks_it_and_keeps_the_ticket(client, manager):
    ticket = TicketFactory()
    project = ProjectFactory(name="Rollout")
    ticket.projects.add(project)
    client.force_login(manager)
    client.post(snippet_url("project", "delete", project.pk))
    assert not Project.objects.exists()
    ticket.refresh_from_db()
    assert not ticket.projects.exists()


def test_a_record_detail_page_lists_its_tickets(agent_client):
    ticket = TicketFactory(title="Toner leaks")
    quote = QuoteFactory(subject="Toner")
    ticket.quotes.add(quote)
    page = agent_client.get(snippet_url("quote", "inspect", quote.pk)).content.decode()
    assert "Toner leaks" in page
    assert "(1)" in page


def test_marketer_cannot_reach_any_related_list_url(client, marketer):
    ticket = TicketFactory()
    activity = ActivityFactory(subject="x", ticket=ticket, due_at=datetime.datetime.now(
        tz=datetime.UTC))  # fmt: skip
    client.force_login(marketer)
    for url in [
        urls.link(ticket, "quotes"),
        urls.upload_document(ticket),
        urls.close_activity(ticket, activity),
        snippet_url("quote", "list"),
        snippet_url("activity", "list"),
        chooser_url("quote", "choose"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("wagtailadmin_home"), url


def test_agenda_lists_my_activities_by_date(agent_client, agent):
    # Noon in the site's zone: the date filter reads local dates, whatever the hour of the run.
    noon = timezone.localtime().replace(hour=12, minute=0)
    mine_late = ActivityFactory(
        subject="mine later", assigned_to=agent, due_at=noon + datetime.timedelta(days=2)
    )
    ActivityFactory(subject="mine soon", assigned_to=agent, due_at=noon)
    ActivityFactory(subject="not mine", due_at=noon)
    listing = snippet_url("activity", "list")
    rows = agent_client.get(listing, {"assignee": "mine"}).context["object_list"]
    assert [a.subject for a in rows] == ["mine soon", "mine later"]
    day = timezone.localtime(mine_late.due_at).date().isoformat()
    rows = agent_client.get(listing, {"due_at_from": day, "due_at_to": day}).context["object_list"]
    assert [a.subject for a in rows] == ["mine later"]


def test_contract_over_its_total_is_flagged_on_contract_and_ticket(agent_client):
    ticket = TicketFactory(solution="Done")
    contract = ServiceContract.objects.create(subject="Ten incidents", total_units=0)
    ticket.service_contracts.add(contract)
    from tests.factories import UserFactory
    from ticketing.tickets.services.transitions import apply_transition

    apply_transition(ticket, "close", UserFactory(username="closer", role="Support agents"))
    contract.refresh_from_db()
    assert contract.used_units == 1
    assert contract.is_over
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    assert 'data-testid="contract-over-limit"' in page
    listing = agent_client.get(snippet_url("servicecontract", "list"))
    assert "Over its total" in listing.content.decode()
    detail = agent_client.get(
        snippet_url("servicecontract", "inspect", contract.pk)
    ).content.decode()
    assert "Over its total" in detail


def test_child_records_joining_and_leaving_appear_in_the_timeline(agent_client):
    ticket = TicketFactory()
    activity = ActivityFactory(subject="Call back", ticket=ticket)
    unlink = urls.unlink(ticket, "activities", activity)
    assert agent_client.get(unlink).status_code == 200
    agent_client.post(unlink)
    activity.refresh_from_db()
    assert activity.ticket is None
    page = timeline_html(agent_client, ticket)
    assert "linked: Call back" in page
    assert "unlinked: Call back" in page
    assert "<dt>Activities</dt>" in page


def test_the_timeline_reads_many_to_many_links(agent_client):
    ticket = TicketFactory()
    quote = QuoteFactory(subject="Toner")
    agent_client.post(urls.link(ticket, "quotes"), {"record": quote.pk})
    page = timeline_html(agent_client, ticket)
    assert "<dt>Quotes</dt>" in page
    assert f"linked: {quote}" in page


RECORD_FACTORIES = {
    "documents": DocumentFactory,
    "services": ServiceFactory,
    "sales_orders": SalesOrderFactory,
    "quotes": QuoteFactory,
    "projects": ProjectFactory,
    "service_contracts": ServiceContractFactory,
}


@pytest.mark.parametrize("key", RECORD_FACTORIES)
def test_every_select_list_links_and_unlinks(agent_client, key):
    ticket = TicketFactory()
    record = RECORD_FACTORIES[key]()
    agent_client.post(urls.link(ticket, key), {"record": record.pk})
    assert list(related_list(key).queryset(ticket)) == [record]
    page = agent_client.get(urls.inspect(ticket)).content.decode()
    section = page.split(f'data-related-list="{key}"')[1].split("</section>")[0]
    assert str(record) in section
    assert "(1)" in section
    agent_client.post(urls.unlink(ticket, key, record))
    assert not related_list(key).queryset(ticket).exists()
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("model_name", "data"),
    [
        ("activity", {"activity_type": "task", "subject": "Order toner", "status": "open",
                      "due_at": "2026-12-01 09:00", "description": ""}),
        ("expense", {"date": "2026-11-29", "amount": "12.40", "currency": "EUR",
                     "description": "Train ticket"}),
        ("timesheet", {"date": "2026-11-29", "hours": "1.25", "description": "Remote session"}),
    ],
)  # fmt: skip
def test_every_create_list_creates_linked_records(agent_client, agent, model_name, data):
    ticket = TicketFactory()
    add = snippet_url(model_name, "add")
    query = f"?ticket={ticket.pk}&next={urls.inspect(ticket)}"
    form = agent_client.get(add + query)
    initial = form.context["form"].initial
    assert initial["ticket"] == ticket.pk
    owner = {"activity": "assigned_to", "expense": "spent_by", "timesheet": "user"}[model_name]
    assert initial[owner] == agent.pk
    response = agent_client.post(form_action(form), {**data, "ticket": ticket.pk})
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == urls.inspect(ticket)
    related = {"activity": "activities", "expense": "expenses", "timesheet": "timesheets"}
    assert getattr(ticket, related[model_name]).count() == 1


def test_create_form_posts_back_with_the_ticket_and_the_way_back(agent_client):
    ticket = TicketFactory()
    add = snippet_url("quote", "add")
    page = agent_client.get(f"{add}?ticket={ticket.pk}&next={urls.inspect(ticket)}")
    action = urlsplit(form_action(page))
    assert action.path == add
    assert parse_qs(action.query) == {"ticket": [str(ticket.pk)], "next": [urls.inspect(ticket)]}
