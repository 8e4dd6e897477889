"""Convert to FAQ (S14), the public FAQ site and its API."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from tests import admin_urls as urls
from tests.factories import ContactFactory, TicketFactory, UserFactory
from ticketing.models import Ticket, TicketCategory
from ticketing.services.faq import ConversionRefused, convert_ticket_to_faq
from ticketing.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def closed_ticket(agent, **fields) -> Ticket:
    fields.setdefault("solution", "Switch it off and on again.")
    ticket = TicketFactory(**fields)
    return apply_transition(ticket, "close", agent)


def convert_url(ticket) -> str:
    return reverse("ticketing_ticket:convert_to_faq", args=(ticket.pk,))


def test_form_is_prefilled_from_the_ticket(agent_client, agent):
    billing = TicketCategory.objects.get(name="Billing")
    ticket = closed_ticket(agent, title="Why was I billed twice?", category=billing,
                           solution="A duplicate charge is refunded within 5 days.")  # fmt: skip
    initial = agent_client.get(convert_url(ticket)).context["form"].initial
    assert initial["question"] == "Why was I billed twice?"
    assert initial["answer"] == "A duplicate charge is refunded within 5 days."
    assert initial["category"] == FAQCategory.objects.get(name="Billing")


def test_manager_publishes_with_edits_kept(client, agent, manager):
    ticket = closed_ticket(agent, contact=ContactFactory(), title="Printer jams")
    client.force_login(manager)
    response = client.post(
        convert_url(ticket),
        {"question": "Why does my printer jam?", "answer": "Use 80 g paper.\n\nClean the rollers."},
    )
    assert response.status_code == 302
    page = FAQPage.objects.get()
    assert page.live
    assert page.title == "Why does my printer jam?"
    assert page.answer == "<p>Use 80 g paper.</p><p>Clean the rollers.</p>"
    ticket.refresh_from_db()
    assert ticket.faq_page_id == page.pk
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", "user"))
    assert ("wagtail.publish", manager.pk) in actions


def test_agent_without_publish_permission_submits_for_moderation(agent_client, agent):
    ticket = closed_ticket(agent)
    response = agent_client.post(
        convert_url(ticket), {"question": "Reset?", "answer": "Hold the button."}, follow=True
    )
    assert "submitted for moderation" in response.content.decode()
    page = FAQPage.objects.get()
    assert not page.live
    assert page.workflow_in_progress


def test_converting_again_updates_the_same_page(client, agent, manager):
    ticket = closed_ticket(agent)
    client.force_login(manager)
    client.post(convert_url(ticket), {"question": "Q1", "answer": "A1"})
    client.post(convert_url(ticket), {"question": "Q2", "answer": "A2"})
    page = FAQPage.objects.get()
    assert page.title == "Q2"
    assert page.revisions.count() == 2
    assert "Update FAQ answer" in client.get(urls.inspect(ticket)).content.decode()


def test_open_ticket_is_refused_and_has_no_button(agent_client):
    ticket = TicketFactory(solution="Something")
    assert "Convert to FAQ" not in agent_client.get(urls.inspect(ticket)).content.decode()
    response = agent_client.post(convert_url(ticket), {"question": "Q", "answer": "A"}, follow=True)
    assert "Only a closed ticket can become an FAQ answer." in response.content.decode()
    assert not FAQPage.objects.exists()


def test_personal_data_is_flagged_and_needs_a_confirmation(client, agent, manager):
    ticket = closed_ticket(agent, solution="Call me on +33 6 12 34 56 78 or claire@acme.example")
    client.force_login(manager)
    page = client.get(convert_url(ticket)).content.decode()
    assert 'data-testid="personal-data-warning"' in page
    assert "claire@acme.example" in page
    response = client.post(convert_url(ticket), {"question": "Q", "answer": ticket.solution})
    assert response.status_code == 200
    assert "looks like personal data" in response.content.decode()
    assert not FAQPage.objects.exists()
    client.post(
        convert_url(ticket), {"question": "Q", "answer": "Call us.", "no_personal_data": "on"}
    )
    assert FAQPage.objects.get().live


def test_failure_leaves_no_page_and_the_ticket_unchanged(agent, manager):
    ticket = closed_ticket(agent)
    version = Ticket.objects.get(pk=ticket.pk).version
    with (
        mock.patch.object(Ticket, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        convert_ticket_to_faq(ticket, manager, "Q", "A", None)
    assert not FAQPage.objects.exists()
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.faq_page_id is None
    assert ticket.version == version
    assert FAQIndexPage.objects.get().numchild == 0


def test_service_refuses_tickets_without_solution(manager, agent):
    ticket = closed_ticket(agent)
    Ticket.objects.filter(pk=ticket.pk).update(solution="")
    with pytest.raises(ConversionRefused):
        convert_ticket_to_faq(Ticket.objects.get(pk=ticket.pk), manager, "Q", "A", None)


def test_the_public_page_carries_no_ticket_data(client, agent, manager):
    contact = ContactFactory(first_name="Claire", last_name="Secretname", email="c@acme.example")
    ticket = closed_ticket(agent, contact=contact, title="Toner smears")
    client.force_login(manager)
    client.post(convert_url(ticket), {"question": "Why does toner smear?", "answer": "Shake it."})
    page = FAQPage.objects.get()
    html = Client().get(page.url).content.decode()
    assert "Why does toner smear?" in html
    for secret in [ticket.number, "Secretname", "c@acme.example", contact.account.name]:
        assert secret not in html
    assert '"@type": "FAQPage"' in html


def test_script_typed_by_an_agent_never_runs_publicly(client, agent, manager):
    ticket = closed_ticket(agent)
    client.force_login(manager)
    client.post(
        convert_url(ticket),
        {"question": "<script>alert(1)</script>?", "answer": "</script><script>alert(2)</script>"},
    )
    html = Client().get(FAQPage.objects.get().url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<script>alert(2)</script>" not in html


def publish_faq(manager, agent, question: str, answer: str) -> FAQPage:
    return convert_ticket_to_faq(closed_ticket(agent), manager, question, answer, None)[0]


def test_search_finds_pages_by_question_and_answer_words(client, agent, manager):
    publish_faq(manager, agent, "How do I change my password?", "Open your profile.")
    publish_faq(manager, agent, "Where is my parcel?", "Track it with the carrier.")
    index = FAQIndexPage.objects.get()
    assert "change my password" in client.get(index.url, {"q": "password"}).content.decode()
    found = client.get(index.url, {"q": "carrier"}).content.decode()
    assert "Where is my parcel?" in found
    assert "change my password" not in found


def test_home_links_to_the_faq_index(client):
    home = client.get("/").content.decode()
    assert FAQIndexPage.objects.get().url in home


def test_api_serves_live_faq_pages_and_nothing_else(client, agent, manager):
    live = publish_faq(manager, agent, "Live question?", "Live answer.")
    draft = publish_faq(manager, agent, "Draft question?", "Hidden.")
    FAQPage.objects.get(pk=draft.pk).unpublish()
    items = client.get("/api/v2/faq/").json()["items"]
    assert [item["title"] for item in items] == ["Live question?"]
    detail = client.get(f"/api/v2/faq/{live.pk}/").json()
    assert detail["answer_html"] == "<p>Live answer.</p>"
    assert "owner" not in detail
    assert client.get(f"/api/v2/faq/{draft.pk}/").status_code == 404
    home = Page.objects.get(depth=2)
    assert client.get(f"/api/v2/faq/{home.pk}/").status_code == 404
    assert client.get("/api/v2/faq/?type=faq.HomePage").json().get("items", []) == []


def test_marketer_edits_faq_pages_but_never_sees_tickets(client, agent, manager, marketer):
    page = publish_faq(manager, agent, "Question?", "Answer.")
    client.force_login(marketer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 200
    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert history.status_code == 200
    assert b"TT-" not in history.content
    assert client.get(urls.listing()).status_code == 302


def test_faq_page_renders_with_a_small_fixed_number_of_queries(
    client, agent, manager, django_assert_max_num_queries
):
    page = publish_faq(manager, agent, "Question?", "Answer.")
    client.get(page.url)
    with django_assert_max_num_queries(12):
        assert client.get(page.url).status_code == 200


def test_faq_category_exists_in_both_languages():
    english = FAQCategory.objects.get(name="Billing")
    assert (
        english.get_translation_or_none(
            english.locale.__class__.objects.get(language_code="fr")
        ).name
        == "Facturation"
    )


def test_agent_cannot_convert_without_page_permission(client, agent):
    ticket = closed_ticket(agent)
    limited = UserFactory(username="limited")
    from django.contrib.auth.models import Permission

    limited.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_ticket", "view_ticket"])
    )
    client.force_login(limited)
    assert client.get(convert_url(ticket)).status_code == 302
    assert not FAQPage.objects.exists()


def test_faq_pages_can_be_translated_to_french_and_served_under_fr(client, agent, manager):
    from wagtail.models import Locale

    page = publish_faq(manager, agent, "How do I reset my password?", "Open your profile.")
    french = Locale.objects.get(language_code="fr")
    home = Page.objects.get(depth=2).specific
    home.copy_for_translation(french).save_revision().publish()
    index = FAQIndexPage.objects.get(locale__language_code="en")
    index.copy_for_translation(french).save_revision().publish()
    translated = FAQPage.objects.get(pk=page.pk).copy_for_translation(french)
    translated.title = "Comment réinitialiser mon mot de passe ?"
    translated.save_revision().publish()
    response = client.get(FAQPage.objects.get(pk=translated.pk).url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "Comment réinitialiser mon mot de passe ?" in html
    assert FAQPage.objects.get(pk=translated.pk).url.startswith("/fr/")


def test_ticket_shows_a_link_to_its_faq_page(client, agent, manager):
    ticket = closed_ticket(agent)
    client.force_login(manager)
    client.post(convert_url(ticket), {"question": "Linked question?", "answer": "Yes."})
    page = FAQPage.objects.get()
    html = client.get(urls.inspect(ticket)).content.decode()
    assert f'href="{page.url}"' in html
    assert "Linked question?" in html


def test_api_hides_private_faq_pages(client, agent, manager):
    from wagtail.models import PageViewRestriction

    page = publish_faq(manager, agent, "Private question?", "Staff only.")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert client.get("/api/v2/faq/").json()["items"] == []
    assert client.get(f"/api/v2/faq/{page.pk}/").status_code == 404


def test_api_listing_queries_do_not_grow_with_pages(client, agent, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish_faq(manager, agent, "First?", "One.")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v2/faq/")
    for number in range(5):
        publish_faq(manager, agent, f"Question {number}?", "Answer.")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v2/faq/").json()["items"]) == 6
    assert len(many) == len(few)
