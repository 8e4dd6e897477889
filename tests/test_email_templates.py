"""Email templates (My Hub > Email templates): a sandbox, checked when saved, escaped when shown."""

import html
import re

import pytest
from django.utils.safestring import SafeData

from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import ContactFactory, EmailTemplateFactory, TicketFactory
from ticketing.mail.email_templates import (
    MAX_OUTPUT_CHARS,
    EmailTemplateError,
    render_email_template_text,
)
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.records.documents import ticket_documents

pytestmark = pytest.mark.django_db

TITLE_SCRIPT = "</textarea><script>alert(1)</script>"
NAME_SCRIPT = "<script>alert(2)</script>"
SOLUTION_SCRIPT = "</textarea><img src=x onerror=alert(3)>"
ADD_URL = snippet_url("emailtemplate", "add")


def hostile_ticket():
    contact = ContactFactory(first_name=NAME_SCRIPT, last_name="", email="c@acme.example")
    return TicketFactory(title=TITLE_SCRIPT, solution=SOLUTION_SCRIPT, contact=contact)


def template_showing_everything() -> EmailTemplate:
    return EmailTemplateFactory(
        name="Everything",
        subject="About {{ ticket.title }}",
        body="Hello {{ contact.name }},\n{{ ticket.title }}\n{{ ticket.solution }}\n<b>x</b>",
    )


def body_textarea(page: str) -> str:
    start = page.index('name="body"')
    return page[page.index(">", start) + 1 : page.index("</textarea>", start)]


def test_picking_a_template_on_a_hostile_ticket_shows_no_markup(agent_client):
    ticket = hostile_ticket()
    template = template_showing_everything()
    response = agent_client.get(urls.send_email(ticket), {"template": template.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "<b>x</b>" not in page
    body = body_textarea(page)
    assert html.escape(TITLE_SCRIPT, quote=False) in html.escape(html.unescape(body), quote=False)
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert html.unescape(body).strip().endswith("<b>x</b>")


def test_inserting_a_template_on_a_hostile_ticket_shows_no_markup(agent_client):
    ticket = hostile_ticket()
    template = template_showing_everything()
    response = agent_client.post(
        urls.send_email(ticket),
        {"to": "c@acme.example", "subject": "", "body": "", "insert_template": template.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in body_textarea(page)
    assert not EmailMessage.objects.exists()


def test_the_sandbox_gives_plain_text_never_safe_markup():
    text = render_email_template_text("{{ ticket.title }}", {"ticket.title": TITLE_SCRIPT})
    assert text == TITLE_SCRIPT
    assert not isinstance(text, SafeData)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{% load static %}{% static "x.js" %}', "“{% load %}” is not allowed"),
        ('{% include "wagtailadmin/base.html" %}', "“{% include %}” is not allowed"),
        ('{% extends "wagtailadmin/base.html" %}', "“{% extends %}” is not allowed"),
        ("{% debug %}", "“{% debug %}” is not allowed"),
        ('{% ssi "/etc/passwd" %}', "“{% ssi %}” is not allowed"),
        (
            "{% for a in ticket.title %}{% for b in ticket.title %}x{% endfor %}{% endfor %}",
            "“{% for %}” is not allowed",
        ),  # fmt: skip
        ("{{ ticket.assigned_to.password }}", "“{{ ticket.assigned_to.password }}” is not a"),
        ("{% if ticket.contact.account.owner %}x{% endif %}", "“{{ ticket.contact.account."),
        ("{{ ticket.title|safe }}", "Invalid filter: &#x27;safe&#x27;"),
        ("{% if ticket.title %}never closed", "has an error"),
        ("{{ ticket.title }}" * 51, "at most 50 placeholders"),
    ],
)
def test_a_forbidden_or_broken_template_is_refused_when_saved(client, manager, source, message):
    client.force_login(manager)
    response = client.post(ADD_URL, {"name": "Bad", "subject": "Hi", "body": source})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_a_forbidden_subject_is_refused_when_saved(client, manager):
    client.force_login(manager)
    response = client.post(ADD_URL, {"name": "Bad", "subject": "{% debug %}", "body": "Hi"})
    assert response.status_code == 200
    assert "“{% debug %}” is not allowed" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_a_good_template_is_saved(client, manager):
    client.force_login(manager)
    body = (
        "{% comment %}reply{% endcomment %}Hello {% firstof contact.name 'there' %},\n"
        "{% if ticket.solution %}{{ ticket.solution|capfirst }}{% else %}Soon.{% endif %}\n"
        "{{ ticket.number }} {{ ticket.status|lower }} {{ agent.name|default:'Support' }}"
    )
    response = client.post(ADD_URL, {"name": "Good", "subject": "{{ ticket.title }}", "body": body})
    assert response.status_code == 302
    assert EmailTemplate.objects.get().body == body


@pytest.mark.parametrize(
    "body",
    [
        "{% if ticket.title %}never closed",
        "{% for a in ticket.title %}{% for b in ticket.title %}{{ b }}{% endfor %}{% endfor %}",
        "{% load static %}{% static 'x' %}",
        "{% debug %}",
    ],
)
def test_a_stored_template_that_cannot_be_used_never_breaks_the_composer(agent_client, body):
    """Saved before the check existed (or written to the database): the agent gets a message."""
    ticket = TicketFactory(title="Printer")
    template = EmailTemplateFactory(name="Old", subject="Hi", body=body)
    response = agent_client.get(urls.send_email(ticket), {"template": template.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The template “Old” cannot be used" in page
    assert body_textarea(page).strip() == ""


def test_output_size_is_bounded():
    with pytest.raises(EmailTemplateError, match="longer than"):
        render_email_template_text(
            "{{ ticket.solution }}" * 50, {"ticket.solution": "x" * (MAX_OUTPUT_CHARS // 40)}
        )


def test_inserting_a_template_keeps_what_the_agent_typed(agent_client, agent):
    ticket = TicketFactory(title="Toner", solution="New cartridge", contact=ContactFactory())
    template = EmailTemplateFactory(
        name="Solved", subject="Solved: {{ ticket.title }}", body="Fixed: {{ ticket.solution }}."
    )
    typed = {
        "to": "claire@acme.example, marc@acme.example",
        "cc": "boss@acme.example",
        "subject": f"[{ticket.number}] My own subject",
        "body": "Hello Claire,\r\n\r\nAs promised:",
    }
    response = agent_client.post(urls.send_email(ticket), {**typed, "insert_template": template.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # nothing is refused yet: the agent has not sent it
    assert form.initial["to"] == typed["to"]
    assert form.initial["cc"] == typed["cc"]
    assert form.initial["subject"] == typed["subject"]
    assert form.initial["body"] == "Hello Claire,\r\n\r\nAs promised:\n\nFixed: New cartridge."
    assert not EmailMessage.objects.exists()


def test_inserting_a_template_gives_its_subject_when_none_was_typed(agent_client):
    ticket = TicketFactory(title="Toner", contact=ContactFactory(email="c@acme.example"))
    template = EmailTemplateFactory(
        name="Solved", subject="Solved: {{ ticket.title }}", body="Fixed."
    )
    default_subject = f"[{ticket.number}] Toner"
    response = agent_client.post(
        urls.send_email(ticket),
        {"to": "c@acme.example", "subject": default_subject, "body": "",
         "insert_template": template.pk},
    )  # fmt: skip
    form = response.context["form"]
    assert form.initial["subject"] == f"[{ticket.number}] Solved: Toner"
    assert form.initial["body"] == "Fixed."
    assert form.initial["to"] == "c@acme.example"


def test_inserting_a_template_keeps_the_chosen_attachments(agent_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = TicketFactory()
    upload = urls.upload_document(ticket)
    agent_client.post(
        upload, {"title": "Quote", "file": SimpleUploadedFile("template-quote.txt", b"4")}
    )
    document = ticket_documents(ticket).get()
    template = EmailTemplateFactory(name="T", subject="S", body="B")
    response = agent_client.post(
        urls.send_email(ticket),
        {"to": "a@example.com", "subject": "", "body": "", "attachments": [document.pk],
         "insert_template": template.pk},
    )  # fmt: skip
    checkboxes = re.findall(r'<input[^>]*name="attachments"[^>]*>', response.content.decode())
    assert len(checkboxes) == 1
    assert f'value="{document.pk}"' in checkboxes[0]
    assert "checked" in checkboxes[0]
