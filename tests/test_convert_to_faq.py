"""Convert to FAQ: what the ticket knows of its customer is flagged, rich text survives updates,
simultaneous conversions make one page."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from wagtail.models import PageLogEntry, WorkflowState

from faq.models import FAQ_RICH_TEXT_FEATURES, FAQPage
from tests import admin_urls as urls
from tests.factories import (
    AccountFactory,
    ContactFactory,
    TicketFactory,
    UserFactory,
    VendorFactory,
)
from ticketing.knowledge.services import ConversionRefused, convert_ticket_to_faq
from ticketing.knowledge.views import AnswerEditor
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def closed_ticket(agent, **fields) -> Ticket:
    fields.setdefault("solution", "Switch it off and on again.")
    return apply_transition(TicketFactory(**fields), "close", agent)


@pytest.fixture
def customer_ticket(agent) -> Ticket:
    contact = ContactFactory(first_name="Claire", last_name="Dubreuil",
                             account=AccountFactory(name="Acme Widgets"))  # fmt: skip
    return closed_ticket(agent, contact=contact, vendor=VendorFactory(name="Printronix"),
                         account=AccountFactory(name="Globex"))  # fmt: skip


@pytest.mark.parametrize(
    ("solution", "flagged"),
    [
        ("Claire Dubreuil had the same problem.", "Claire Dubreuil"),
        ("As Ms dubreuil said, restart.", "dubreuil"),
        ("Acme Widgets printers need a reset.", "Acme Widgets"),
        ("Globex staff reset it.", "Globex"),
        ("Printronix sends a new part.", "Printronix"),
        ("Write to claire at acme dot example.", "claire at acme dot example"),
        ("Write to claire [at] acme [dot] example.", "claire [at] acme [dot] example"),
        ("Écrivez à claire arobase acme point fr.", "claire arobase acme point fr"),
        ("Same as TT-000042.", "TT-000042"),
    ],
)
def test_customer_data_is_flagged(client, manager, customer_ticket, solution, flagged):
    Ticket.objects.filter(pk=customer_ticket.pk).update(solution=solution)
    client.force_login(manager)
    html = client.get(urls.convert_to_faq(customer_ticket)).content.decode()
    assert 'data-testid="personal-data-warning"' in html
    assert f"<code>{flagged}</code>" in html
    response = client.post(
        urls.convert_to_faq(customer_ticket), {"question": "Q?", "answer": solution}
    )
    assert response.status_code == 200
    assert "looks like personal data" in response.content.decode()
    assert not FAQPage.objects.exists()


def test_the_ticket_own_number_is_flagged(client, manager, customer_ticket):
    client.force_login(manager)
    question = f"What happened in {customer_ticket.number}?"
    response = client.post(
        urls.convert_to_faq(customer_ticket), {"question": question, "answer": "A."}
    )
    assert response.status_code == 200
    assert f"<code>{customer_ticket.number}</code>" in response.content.decode()
    assert not FAQPage.objects.exists()


def test_clean_text_is_published_without_a_confirmation(client, manager, customer_ticket):
    client.force_login(manager)
    html = client.get(urls.convert_to_faq(customer_ticket)).content.decode()
    assert 'data-testid="personal-data-warning"' not in html
    response = client.post(
        urls.convert_to_faq(customer_ticket), {"question": "Reset?", "answer": "Hold."}
    )
    assert response.status_code == 302
    assert FAQPage.objects.get().live


def editor_value(rich_text: str) -> str:
    """What Draftail posts for this rich text: its contentstate JSON."""
    return AnswerEditor(features=FAQ_RICH_TEXT_FEATURES).format_value(rich_text)


def test_update_keeps_the_rich_text_a_marketer_formatted(client, agent, manager):
    ticket = closed_ticket(agent)
    page = convert_ticket_to_faq(ticket, manager, "Printer jams?", "Use 80 g paper.", None)[0]
    formatted = "<p>Use <b>80 g</b> paper.</p><ul><li>Clean the rollers.</li></ul>"
    page.answer = formatted
    page.save_revision().publish()
    client.force_login(manager)
    initial = client.get(urls.convert_to_faq(ticket)).context["form"].initial
    assert initial["answer"] == formatted
    response = client.post(
        urls.convert_to_faq(ticket),
        {"question": "Printer jams?", "answer": editor_value(formatted)},
    )
    assert response.status_code == 302
    answer = FAQPage.objects.get(pk=page.pk).answer
    assert "<b>80 g</b>" in answer
    assert re.search(r"<ul><li[^>]*>Clean the rollers.</li></ul>", answer)


def test_the_page_is_made_as_wagtail_editor_makes_it(agent, manager):
    page = convert_ticket_to_faq(closed_ticket(agent), manager, "Paper jams?", "Open it.", None)[0]
    assert page.owner == manager
    actions = PageLogEntry.objects.filter(page=page, user=manager).values_list("action", flat=True)
    assert {"wagtail.create", "wagtail.edit", "wagtail.publish"} <= set(actions)


def test_an_answer_in_moderation_is_updated_and_goes_back_to_the_moderators(agent):
    ticket = closed_ticket(agent)
    page, published = convert_ticket_to_faq(ticket, agent, "Paper jams?", "Open it.", None)
    assert not published
    assert page.workflow_in_progress
    again = Ticket.objects.get(pk=ticket.pk)
    page, published = convert_ticket_to_faq(again, agent, "Paper jams?", "Open, then shut.", None)
    assert not published
    assert "then shut" in page.get_latest_revision_as_object().answer
    statuses = WorkflowState.objects.for_instance(page).order_by("pk").values_list("status")
    assert [status for (status,) in statuses] == ["cancelled", "in_progress"]


def test_a_page_someone_else_locked_is_left_as_it_is(agent, manager):
    ticket = closed_ticket(agent)
    page = convert_ticket_to_faq(ticket, manager, "Paper jams?", "Open it.", None)[0]
    page.locked, page.locked_by = True, UserFactory(is_superuser=True)
    page.save()
    with pytest.raises(ConversionRefused):
        convert_ticket_to_faq(Ticket.objects.get(pk=ticket.pk), manager, "Changed?", "No.", None)
    page.refresh_from_db()
    assert (page.title, page.get_latest_revision().content["title"]) == ("Paper jams?",) * 2


def test_first_conversion_prefills_the_solution_as_rich_text(client, agent, manager):
    ticket = closed_ticket(agent, solution="Shake the toner & retry.\n\nCall us.")
    client.force_login(manager)
    initial = client.get(urls.convert_to_faq(ticket)).context["form"].initial
    assert initial["answer"] == "<p>Shake the toner &amp; retry.</p><p>Call us.</p>"


def test_the_editor_drops_markup_outside_the_faq_features(client, agent, manager):
    ticket = closed_ticket(agent)
    client.force_login(manager)
    value = editor_value('<p>Hi <a href="javascript:alert(1)">x</a></p><script>alert(2)</script>')
    client.post(urls.convert_to_faq(ticket), {"question": "Q?", "answer": value})
    answer = FAQPage.objects.get().answer
    assert "<script" not in answer
    assert "javascript:" not in answer


WORKERS = 6


def convert_at_once(tickets: list[Ticket], user, question: str) -> list:
    barrier = threading.Barrier(len(tickets))
    responses, errors = [], []

    def convert(ticket: Ticket) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            responses.append(
                client.post(
                    urls.convert_to_faq(ticket), {"question": question, "answer": "Restart."}
                )
            )
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=convert, args=(ticket,)) for ticket in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL; CI runs this on PostgreSQL",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@POSTGRESQL_ONLY
def test_simultaneous_conversions_of_one_ticket_make_one_page():
    agent = UserFactory(username="agent", role="Support agents")
    manager = UserFactory(username="manager", role="Support managers")
    ticket = closed_ticket(agent)
    responses = convert_at_once([ticket] * WORKERS, manager, "How do I reset it?")
    assert [response.status_code for response in responses] == [302] * WORKERS
    page = FAQPage.objects.get()
    assert page.live
    assert Ticket.objects.get(pk=ticket.pk).faq_page_id == page.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@POSTGRESQL_ONLY
def test_simultaneous_conversions_of_one_question_get_their_own_slugs():
    agent = UserFactory(username="agent", role="Support agents")
    manager = UserFactory(username="manager", role="Support managers")
    tickets = [closed_ticket(agent) for _ in range(WORKERS)]
    responses = convert_at_once(tickets, manager, "How do I reset it?")
    assert [response.status_code for response in responses] == [302] * WORKERS
    slugs = set(FAQPage.objects.values_list("slug", flat=True))
    assert len(slugs) == WORKERS
    assert "how-do-i-reset-it" in slugs
