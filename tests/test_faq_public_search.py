"""Anything a visitor types in the FAQ search, or sends to the FAQ API, gives a page, never a 500.

SQLite's full-text syntax chokes on quotes and operators, PostgreSQL refuses NUL characters:
each string below once gave 500 on one of the two databases.
"""

import pytest
from django.test import Client

from faq.models import FAQIndexPage, FAQPage
from tests.factories import FAQPageFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    "'",
    '"unbalanced',
    'say "hello',
    "(",
    ")",
    "((printer",
    "printer)",
    "\x00",
    "printer\x00toner",
    "AND",
    "OR",
    "NOT",
    "printer AND",
    "OR toner",
    "NOT NOT",
    "printer NEAR toner",
    "*",
    "print*",
    "*printer",
    "-",
    "+",
    "^printer",
    "title:printer",
    ":",
    "{printer}",
    "[",
    "\\",
    "%",
    "_",
    "' OR 1=1 --",
    "printer; DROP TABLE faq_faqpage",
    "x" * 5000,
    "printer " * 500,
    "é",
    "imprimante à jet d’encre",
    "打印机",
    "🖨️",
    "\u200b",
    "\ud7ff",
    "\t\n\r",
    "  ",
]

API_PARAMETERS = ["slug", "title", "type", "fields", "order", "locale", "child_of",
                  "descendant_of", "search", "offset", "limit"]  # fmt: skip


@pytest.fixture
def faq_page() -> FAQPage:
    return FAQPageFactory(title="Why does my printer jam?", slug="printer", answer="<p>Toner.</p>")


@pytest.mark.parametrize("query", HOSTILE)
def test_any_search_string_gives_a_page(client: Client, faq_page, query):
    response = client.get(FAQIndexPage.objects.get(locale__language_code="en").url, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Why does my printer jam?" in html or "No answer yet." in html


def test_a_plain_search_still_finds_the_page(client: Client, faq_page):
    response = client.get(
        FAQIndexPage.objects.get(locale__language_code="en").url, {"q": "printer"}
    )
    assert "Why does my printer jam?" in response.content.decode()


def test_a_quoted_search_still_finds_the_page(client: Client, faq_page):
    response = client.get(
        FAQIndexPage.objects.get(locale__language_code="en").url, {"q": '"printer'}
    )
    assert "Why does my printer jam?" in response.content.decode()


@pytest.mark.parametrize("endpoint", ["faq", "pages"])
@pytest.mark.parametrize("query", HOSTILE)
def test_any_find_path_gives_a_404_or_400(client: Client, faq_page, endpoint, query):
    response = client.get(f"/api/v2/{endpoint}/find/", {"html_path": query})
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("value", ["\x00", "abc", "1.5", "99999999999999999999"])
def test_any_find_id_gives_a_404_or_400(client: Client, faq_page, value):
    assert client.get("/api/v2/faq/find/", {"id": value}).status_code in (400, 404)


def test_find_still_finds_a_page_by_path(client: Client, faq_page):
    response = client.get("/api/v2/faq/find/", {"html_path": faq_page.url})
    assert response.status_code == 302
    assert f"/api/v2/faq/{faq_page.pk}/" in response["Location"]


@pytest.mark.parametrize("parameter", API_PARAMETERS)
@pytest.mark.parametrize("value", ["\x00", '"', "x" * 5000, "é"])
@pytest.mark.parametrize("endpoint", ["faq", "pages"])
def test_any_api_parameter_gives_an_answer_never_a_500(
    client: Client, faq_page, endpoint, parameter, value
):
    response = client.get(f"/api/v2/{endpoint}/", {parameter: value})
    assert response.status_code in (200, 400, 404)
