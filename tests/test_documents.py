"""Ticket attachments: only managers delete them, every deletion is on the ticket's history,
and a refused download is a proper page."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model

from tests.admin_urls import bulk_action_url
from tests.factories import DocumentFactory, EmailMessageFactory, TicketFactory, UserFactory
from tests.timeline_rows import timeline_html
from ticketing.records.documents import attach_documents, ticket_documents

pytestmark = pytest.mark.django_db

Document = get_document_model()
CONTENT = b"Invoice 42: 1,234.00 EUR"


@pytest.fixture
def ticket():
    return TicketFactory()


def attach(ticket, user=None, title="Invoice"):
    document = DocumentFactory(
        title=title, uploaded_by_user=user, file__filename="invoice.txt", file__data=CONTENT
    )
    attach_documents(ticket, document)
    return document


def delete_url(document) -> str:
    return reverse("wagtaildocs:delete", args=(document.pk,))


def serve_url(document) -> str:
    return reverse("wagtaildocs_serve", args=(document.pk, document.filename))


@pytest.mark.parametrize("uploaded_by_the_agent", [False, True])
def test_agent_cannot_delete_a_ticket_attachment(
    agent_client, agent, ticket, uploaded_by_the_agent
):
    document = attach(ticket, user=agent if uploaded_by_the_agent else None)
    for url in (delete_url(document), bulk_action_url(Document, "delete", [document.pk])):
        assert agent_client.get(url).status_code == 302
        response = agent_client.post(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert Document.objects.filter(pk=document.pk).exists()
    assert ticket_documents(ticket).filter(pk=document.pk).exists()


def test_agent_sees_no_delete_action_on_a_document(agent_client, ticket):
    document = attach(ticket)
    edit = agent_client.get(reverse("wagtaildocs:edit", args=(document.pk,)))
    assert edit.status_code == 200
    assert delete_url(document) not in edit.content.decode()
    listing = agent_client.get(reverse("wagtaildocs:index")).content.decode()
    assert "Invoice" in listing
    assert bulk_action_url(Document, "delete", [document.pk]).split("?")[0] not in listing


def test_agent_still_edits_and_chooses_ticket_documents(agent_client, ticket):
    document = attach(ticket)
    response = agent_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {"title": "Invoice (signed)", "collection": document.collection_id, "tags": ""},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Invoice (signed)"
    chooser = agent_client.get(reverse("wagtaildocs_chooser:choose"))
    assert "Invoice (signed)" in chooser.content.decode()


def test_manager_deletion_is_on_the_ticket_history(client, manager, ticket):
    document = attach(ticket, title="Signed contract")
    client.force_login(manager)
    confirm = client.get(delete_url(document))
    assert confirm.status_code == 200
    client.post(delete_url(document))
    assert not Document.objects.filter(pk=document.pk).exists()
    page = timeline_html(client, ticket)
    assert "deleted: Signed contract" in page
    assert manager.get_full_name() in page
    row = ticket.timeline.get(kind="unlink")
    assert (row.actor, row.data["deleted"]) == (manager, True)


def test_manager_bulk_deletion_is_on_every_ticket_history(client, manager):
    first, second = TicketFactory(), TicketFactory()
    document = attach(first, title="Shared manual")
    attach_documents(second, document)
    email = EmailMessageFactory(ticket=TicketFactory(), subject="Manual attached")
    email.attachments.add(document)
    client.force_login(manager)
    response = client.post(bulk_action_url(Document, "delete", [document.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    for ticket in (first, second, email.ticket):
        page = timeline_html(client, ticket)
        assert "deleted: Shared manual" in page, ticket


def test_deleting_a_document_of_no_ticket_writes_no_history(client, manager):
    document = DocumentFactory(title="Brochure")
    client.force_login(manager)
    client.post(delete_url(document))
    assert not Document.objects.filter(pk=document.pk).exists()


def test_anonymous_is_sent_to_the_admin_login_page(client, ticket):
    document = attach(ticket)
    response = client.get(serve_url(document))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    login = client.get(response.url)
    assert "wagtailadmin/css/core.css" in login.content.decode()
    assert CONTENT not in login.content


def test_refused_document_page_is_a_styled_page(client, marketer, ticket):
    document = attach(ticket)
    client.force_login(marketer)
    response = client.get(serve_url(document))
    assert response.status_code == 403
    page = response.content.decode()
    assert "wagtailadmin/css/core.css" in page
    assert "You may not open this document" in page
    assert reverse("wagtailadmin_home") in page
    assert CONTENT.decode() not in page
    assert "Invoice" not in page
    assert 'name="password"' not in page


def test_a_user_outside_the_admin_is_refused_too(ticket):
    document = attach(ticket)
    client = Client()
    client.force_login(UserFactory(username="customer"))
    response = client.get(serve_url(document))
    assert response.status_code == 403
    assert CONTENT not in response.content


def test_agent_still_downloads_the_document(agent_client, ticket):
    document = attach(ticket)
    response = agent_client.get(serve_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
