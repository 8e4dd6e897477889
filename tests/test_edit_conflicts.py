"""Two people edit the same record at once: the second save is refused, nothing is lost."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from tests.admin_urls import snippet_url
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    AssetFactory,
    ContactFactory,
    EmailTemplateFactory,
    ExpenseFactory,
    ProductFactory,
    ProjectFactory,
    QuoteFactory,
    SalesOrderFactory,
    ServiceContractFactory,
    ServiceFactory,
    TicketCategoryFactory,
    TicketFactory,
    TimesheetFactory,
    UserFactory,
    VendorFactory,
)
from ticketing.common.versioned import EditConflict

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this"

# Every record an agent or a manager edits in the admin, and a text field to type into.
EDITABLE = {
    "account": (AccountFactory, "name"),
    "contact": (ContactFactory, "last_name"),
    "vendor": (VendorFactory, "name"),
    "asset": (AssetFactory, "name"),
    "product": (ProductFactory, "name"),
    "service": (ServiceFactory, "name"),
    "activity": (ActivityFactory, "subject"),
    "expense": (ExpenseFactory, "description"),
    "project": (ProjectFactory, "name"),
    "timesheet": (TimesheetFactory, "description"),
    "quote": (QuoteFactory, "subject"),
    "salesorder": (SalesOrderFactory, "subject"),
    "servicecontract": (ServiceContractFactory, "subject"),
    "ticketcategory": (TicketCategoryFactory, "name"),
    "emailtemplate": (EmailTemplateFactory, "subject"),
    "ticket": (TicketFactory, "title"),
}


def edit_url(record) -> str:
    return snippet_url(type(record), "edit", record.pk)


def posted_values(form) -> dict:
    """What the browser would post back for an untouched edit form."""
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            data[name] = bound.field.widget.format_value(value)
        else:
            data[name] = str(value)
    return data


def support_client(username: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, role="Support managers"))
    return client


@pytest.mark.parametrize("model_name", EDITABLE)
def test_second_of_two_simultaneous_edits_is_refused_and_keeps_what_was_typed(model_name):
    make, field = EDITABLE[model_name]
    record = make()
    first, second = support_client("first"), support_client("second")

    # Both open the edit form before either saves.
    first_form = first.get(edit_url(record)).context["form"]
    second_form = second.get(edit_url(record)).context["form"]

    typed_first = {**posted_values(first_form), field: "Typed by the first"}
    response = first.post(edit_url(record), typed_first)
    assert response.status_code == 302, response.context["form"].errors

    typed_second = {**posted_values(second_form), field: "Typed by the second"}
    response = second.post(edit_url(record), typed_second)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    # The form comes back as the second person filled it in.
    assert response.context["form"][field].value() == "Typed by the second"
    assert 'value="Typed by the second"' in page

    record.refresh_from_db()
    assert getattr(record, field) == "Typed by the first"


def test_conflict_message_is_shown_once(client):
    contact = ContactFactory()
    client.force_login(UserFactory(username="manager", role="Support managers"))
    stale = posted_values(client.get(edit_url(contact)).context["form"])
    assert client.post(edit_url(contact), {**stale, "last_name": "First"}).status_code == 302

    page = client.post(edit_url(contact), {**stale, "last_name": "Second"}).content.decode()
    assert page.count(CONFLICT) == 1


def test_a_form_without_its_version_is_refused(client):
    account = AccountFactory(name="Before")
    client.force_login(UserFactory(username="manager", role="Support managers"))
    data = posted_values(client.get(edit_url(account)).context["form"])
    del data["loaded_version"]
    response = client.post(edit_url(account), {**data, "name": "After"})
    assert response.status_code == 200
    assert "This form is out of date" in response.content.decode()
    account.refresh_from_db()
    assert account.name == "Before"


def test_creating_a_record_needs_no_version(client):
    client.force_login(UserFactory(username="manager", role="Support managers"))
    add_url = snippet_url("account", "add")
    assert "loaded_version" not in client.get(add_url).context["form"].fields
    assert client.post(add_url, {"name": "New account"}).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL; CI runs this on PostgreSQL",
)
def test_simultaneous_saves_of_one_loaded_copy_let_exactly_one_through():
    """The version check is in the UPDATE itself: no window between reading and writing it."""
    workers = 6
    contact = ContactFactory(last_name="Before")
    barrier = threading.Barrier(workers)
    saved, refused, errors = [], [], []

    def save_stale_copy(worker: int) -> None:
        try:
            copy = type(contact).objects.get(pk=contact.pk)
            copy.last_name = f"Worker {worker}"
            barrier.wait()
            copy.save()
            saved.append(worker)
        except EditConflict:
            refused.append(worker)
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save_stale_copy, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(saved) == 1
    assert len(refused) == workers - 1
    contact.refresh_from_db()
    assert contact.last_name == f"Worker {saved[0]}"
    assert contact.version == 1
