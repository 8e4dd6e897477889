"""Convert to FAQ (S14), the public FAQ site and its API."""

import json
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from tests import admin_urls as urls
from tests.admin_urls import snippet_url
from tests.factories import ContactFactory, TicketFactory, UserFactory
from ticketing.knowledge.services import ConversionRefused, convert_ticket_to_faq
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.tickets.services.transitions import apply_transition

pytestmark = pytest.mark.django_db


def closed_ticket(agent, **fields) -> Ticket:
    fields.setdefault("solution", "Switch it off and on again.")
    ticket = TicketFactory(**fields)
    return apply_transition(ticket, "close", agent)


def test_form_is_prefilled_from_the_ticket(agent_client, agent):
    billing = TicketCategory.objects.get(name="Billing")
    ticket = closed_ticket(agent, title="Why was I billed twice?", category=billing,
                           solution="A duplicate charge is refunded within 5 days.")  # fmt: skip
    initial = agent_client.get(urls.convert_to_faq(ticket)).context["form"].initial
    assert initial["question"] == "Why was I billed twice?"
    assert initial["answer"] == "<p>A duplicate charge is refunded within 5 days.</p>"
    assert initial["category"] == FAQCategory.objects.get(name="Billing")


def test_manager_publishes_with_edits_kept(client, agent, manager):
    ticket = closed_ticket(agent, contact=ContactFactory(), title="Printer jams")
    client.force_login(manager)
    response = client.post(
        urls.convert_to_faq(ticket),
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
        urls.convert_to_faq(ticket),
        {"question": "Reset?", "answer": "Hold the button."},
        follow=True,
    )
    assert "submitted for moderation" in response.content.decode()
    page = FAQPage.objects.get()
    assert not page.live
    assert page.workflow_in_progress


def test_converting_again_updates_the_same_page(client, agent, manager):
    ticket = closed_ticket(agent)
    client.force_login(manager)
    client.post(urls.convert_to_faq(ticket), {"question": "Q1", "answer": "A1"})
    client.post(urls.convert_to_faq(ticket), {"question": "Q2", "answer": "A2"})
    page = FAQPage.objects.get()
    assert page.title == "Q2"
    assert page.revisions.count() == 2
    assert "Update FAQ answer" in client.get(urls.inspect(ticket)).content.decode()


def test_open_ticket_is_refused_and_has_no_button(agent_client):
    ticket = TicketFactory(solution="Something")
    assert "Convert to FAQ" not in agent_client.get(urls.inspect(ticket)).content.decode()
    response = agent_client.post(
        urls.convert_to_faq(ticket), {"question": "Q", "answer": "A"}, follow=True
    )
    assert "Only a closed ticket can become an FAQ answer." in response.content.decode()
    assert not FAQPage.objects.exists()


def test_personal_data_is_flagged_and_needs_a_confirmation(client, agent, manager):
    ticket = closed_ticket(agent, solution="Call me on +33 6 12 34 56 78 or claire@acme.example")
    client.force_login(manager)
    page = client.get(urls.convert_to_faq(ticket)).content.decode()
    assert 'data-testid="personal-data-warning"' in page
    assert "claire@acme.example" in page
    response = client.post(
        urls.convert_to_faq(ticket), {"question": "Q", "answer": ticket.solution}
    )
    assert response.status_code == 200
    assert "looks like personal data" in response.content.decode()
    assert not FAQPage.objects.exists()
    client.post(
        urls.convert_to_faq(ticket),
        {"question": "Q", "answer": "Call us.", "no_personal_data": "on"},
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
    assert FAQIndexPage.objects.get(locale__language_code="en").numchild == 0


def test_service_refuses_tickets_without_solution(manager, agent):
    ticket = closed_ticket(agent)
    Ticket.objects.filter(pk=ticket.pk).update(solution="")
    with pytest.raises(ConversionRefused):
        convert_ticket_to_faq(Ticket.objects.get(pk=ticket.pk), manager, "Q", "A", None)


def test_the_public_page_carries_no_ticket_data(client, agent, manager):
    contact = ContactFactory(first_name="Claire", last_name="Secretname", email="c@acme.example")
    ticket = closed_ticket(agent, contact=contact, title="Toner smears")
    client.force_login(manager)
    client.post(
        urls.convert_to_faq(ticket), {"question": "Why does toner smear?", "answer": "Shake it."}
    )
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
        urls.convert_to_faq(ticket),
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
    index = FAQIndexPage.objects.get(locale__language_code="en")
    assert "change my password" in client.get(index.url, {"q": "password"}).content.decode()
    found = client.get(index.url, {"q": "carrier"}).content.decode()
    assert "Where is my parcel?" in found
    assert "change my password" not in found


def test_home_links_to_the_faq_index(client):
    home = client.get("/").content.decode()
    assert FAQIndexPage.objects.get(locale__language_code="en").url in home


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
    home = Page.objects.get(depth=2, locale__language_code="en")
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
    assert client.get(urls.convert_to_faq(ticket)).status_code == 302
    assert not FAQPage.objects.exists()


def test_faq_pages_can_be_translated_to_french_and_served_under_fr(client, agent, manager):
    from wagtail.models import Locale

    page = publish_faq(manager, agent, "How do I reset my password?", "Open your profile.")
    french = Locale.objects.get(language_code="fr")
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
    client.post(urls.convert_to_faq(ticket), {"question": "Linked question?", "answer": "Yes."})
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


CATEGORIES = snippet_url("faqcategory", "list")


def test_marketer_lists_faq_categories_of_both_languages(client, marketer):
    client.force_login(marketer)
    response = client.get(CATEGORIES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Billing" in html
    assert "Facturation" in html


def test_faq_menu_offers_categories_to_marketers(client, marketer):
    client.force_login(marketer)
    assert CATEGORIES in client.get("/admin/").content.decode()


def test_marketer_creates_and_edits_a_faq_category(client, marketer):
    client.force_login(marketer)
    response = client.post(snippet_url("faqcategory", "add"), {"name": "Returns"})
    assert response.status_code == 302
    category = FAQCategory.objects.get(name="Returns")
    assert category.locale.language_code == "en"
    response = client.post(
        snippet_url("faqcategory", "edit", category.pk), {"name": "Returns and refunds"}
    )
    assert response.status_code == 302
    assert FAQCategory.objects.get(pk=category.pk).name == "Returns and refunds"


def test_agent_cannot_manage_faq_categories(agent_client):
    assert agent_client.get(CATEGORIES).status_code in (302, 403)
    agent_client.post(snippet_url("faqcategory", "add"), {"name": "Sneaky"})
    assert not FAQCategory.objects.filter(name="Sneaky").exists()


def translate_as(client, page: FAQPage, language_code: str = "fr"):
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language_code)
    url = reverse("simple_translation:submit_page_translation", args=(page.pk,))
    return client.post(url, {"locales": [locale.pk]})


def test_marketer_translates_a_faq_page_to_french(client, agent, manager, marketer):
    billing = FAQCategory.objects.get(name="Billing")
    page = convert_ticket_to_faq(closed_ticket(agent), manager, "Why was I billed twice?",
                                 "A duplicate is refunded.", billing)[0]  # fmt: skip
    client.force_login(marketer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert reverse("simple_translation:submit_page_translation", args=(page.pk,)) in edit
    response = translate_as(client, page)
    assert response.status_code == 302
    french = FAQPage.objects.get(locale__language_code="fr")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(french.pk,))
    assert french.translation_key == page.translation_key
    assert french.category.name == "Facturation"
    # The marketer edits and publishes the French answer, which visitors then read under /fr/.
    editor = client.get(response["Location"])
    assert editor.status_code == 200
    french.title = "Pourquoi ai-je été facturé deux fois ?"
    french.save_revision(user=marketer).publish(user=marketer)
    public = Client().get(FAQPage.objects.get(pk=french.pk).url)
    assert public.status_code == 200
    assert "Pourquoi ai-je été facturé deux fois ?" in public.content.decode()
    assert "Facturation" in public.content.decode()


def test_marketer_publishes_a_french_translation_from_the_editor(client, agent, manager, marketer):
    page = publish_faq(manager, agent, "Where is my parcel?", "Track it.")
    client.force_login(marketer)
    translate_as(client, page)
    french = FAQPage.objects.get(locale__language_code="fr")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(french.pk,)),
        {"title": "Où est mon colis ?", "slug": french.slug, "answer": '{"blocks": [{"key": "a",'
         ' "type": "unstyled", "text": "Suivez-le.", "depth": 0, "inlineStyleRanges": [],'
         ' "entityRanges": []}], "entityMap": {}}', "category": "", "tags": "",
         "action-publish": "action-publish"},
    )  # fmt: skip
    assert response.status_code == 302
    french = FAQPage.objects.get(pk=french.pk)
    assert french.live
    assert french.title == "Où est mon colis ?"


def category_options(client, page: FAQPage) -> str:
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    select = re.search(r'<select name="category".*?</select>', html, re.DOTALL)
    assert select is not None
    return select.group(0)


def test_faq_editor_offers_the_categories_of_the_page_language(client, agent, manager, marketer):
    billing = FAQCategory.objects.get(name="Billing")
    page = convert_ticket_to_faq(closed_ticket(agent), manager, "Billed twice?", "Refund.",
                                 billing)[0]  # fmt: skip
    client.force_login(marketer)
    english = category_options(client, page)
    assert "Billing" in english
    assert "Facturation" not in english
    translate_as(client, page)
    french = category_options(client, FAQPage.objects.get(locale__language_code="fr"))
    assert "Facturation" in french
    assert "Billing" not in french
    assert re.search(r"<option [^>]*selected[^>]*>Facturation</option>", french)


def structured_data(html: str) -> dict:
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert script is not None
    return json.loads(script.group(1))


def test_json_ld_keeps_paragraphs_and_carries_no_escaped_html(client, agent, manager):
    page = publish_faq(manager, agent, "Why does my printer jam?",
                       "Use 80 g paper & fresh toner.\n\nClean the rollers \"gently\".\n"
                       "Then print <b>one</b> page.")  # fmt: skip
    data = structured_data(client.get(page.url).content.decode())
    answer = data["mainEntity"][0]["acceptedAnswer"]["text"]
    assert answer == (
        'Use 80 g paper & fresh toner.\nClean the rollers "gently".\nThen print <b>one</b> page.'
    )
    assert data["mainEntity"][0]["name"] == "Why does my printer jam?"


def test_json_ld_cannot_close_its_script_element(client, agent, manager):
    page = publish_faq(manager, agent, "Script?", "</script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)" not in html
    data = structured_data(html)
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "</script><script>alert(1)</script>"


def test_json_ld_puts_list_items_and_headings_on_lines_of_their_own(client, agent, manager):
    page = publish_faq(manager, agent, "Lists?", "x")
    page.answer = "<h3>Steps</h3><ol><li>Open &amp; close</li><li>Restart</li></ol><p>Done</p>"
    page.save_revision().publish()
    data = structured_data(client.get(page.url).content.decode())
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == "Steps\nOpen & close\nRestart\nDone"
