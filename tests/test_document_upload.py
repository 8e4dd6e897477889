"""Uploading a document to a ticket: a file chosen once is never to be chosen again."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import UploadedFile

from tests import admin_urls as urls
from tests.factories import TicketFactory, UserFactory
from ticketing.common.documents import ticket_documents_collection
from ticketing.records.documents import ticket_documents

pytestmark = pytest.mark.django_db

CONTENT = b"Invoice 42"


def invoice(name: str = "invoice.txt", content: bytes = CONTENT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def kept_file_reference(page: str) -> str:
    found = re.search(r'name="kept_file" value="([^"]+)"', page)
    assert found, "the form does not carry the file it was given"
    return found.group(1)


def test_a_missing_title_keeps_the_chosen_file(agent_client):
    ticket = TicketFactory()
    response = agent_client.post(urls.upload_document(ticket), {"title": "", "file": invoice()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "invoice.txt" in page  # the agent sees which file is kept
    assert not ticket_documents(ticket).exists()

    # The agent types the title only: the file chosen before is the one attached.
    response = agent_client.post(
        urls.upload_document(ticket),
        {"title": "Invoice 42", "kept_file": kept_file_reference(page)},
    )
    assert response.status_code == 302
    document = ticket_documents(ticket).get()
    assert document.title == "Invoice 42"
    with document.file.open("rb") as stored:
        assert stored.read() == CONTENT
    assert not UploadedFile.objects.exists()  # nothing left behind


def test_the_kept_file_keeps_its_name_when_another_has_the_same(agent_client):
    ticket = TicketFactory()
    agent_client.post(urls.upload_document(ticket), {"file": invoice()})  # kept as invoice.txt
    # The storage renames the second one (invoice_AbC12.txt): the agent sees the name chosen.
    page = agent_client.post(urls.upload_document(ticket), {"file": invoice()}).content.decode()
    assert "“invoice.txt” is kept" in page
    agent_client.post(
        urls.upload_document(ticket), {"title": "T", "kept_file": kept_file_reference(page)}
    )
    assert ticket_documents(ticket).get().filename.startswith("invoice")


def test_a_new_file_replaces_the_kept_one(agent_client):
    ticket = TicketFactory()
    page = agent_client.post(urls.upload_document(ticket), {"file": invoice()}).content.decode()
    response = agent_client.post(
        urls.upload_document(ticket),
        {
            "title": "Receipt",
            "kept_file": kept_file_reference(page),
            "file": invoice("receipt.txt", b"Receipt"),
        },
    )
    assert response.status_code == 302
    with ticket_documents(ticket).get().file.open("rb") as stored:
        assert stored.read() == b"Receipt"
    assert not UploadedFile.objects.exists()


def test_nobody_else_can_use_a_kept_file(agent_client):
    ticket = TicketFactory()
    page = agent_client.post(urls.upload_document(ticket), {"file": invoice()}).content.decode()
    other = Client()
    other.force_login(UserFactory(username="other", role="Support agents"))

    response = other.post(
        urls.upload_document(ticket), {"title": "Stolen", "kept_file": kept_file_reference(page)}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "invoice.txt" not in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_refused_file_type_is_not_kept(agent_client):
    ticket = TicketFactory()
    evil = SimpleUploadedFile("evil.html", b"<script>x</script>", content_type="text/html")
    response = agent_client.post(urls.upload_document(ticket), {"title": "", "file": evil})
    assert response.status_code == 200
    assert 'name="kept_file"' not in response.content.decode()
    assert not UploadedFile.objects.exists()


def test_an_uploaded_document_is_private_with_its_size_and_hash(agent_client, agent):
    ticket = TicketFactory()
    agent_client.post(urls.upload_document(ticket), {"title": "Invoice", "file": invoice()})
    document = ticket_documents(ticket).get()
    assert document.collection == ticket_documents_collection()
    assert document.uploaded_by_user == agent
    assert document.file_size == len(CONTENT)
    assert document.file_hash == hashlib.sha1(CONTENT).hexdigest()  # noqa: S324 - Wagtail's hash
