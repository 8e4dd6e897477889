"""The headless FAQ: Wagtail's standard pages endpoint beside /api/v2/faq/, on the serving host."""

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from faq.models import FAQCategory, FAQIndexPage, FAQPage
from tests.factories import FAQPageFactory

pytestmark = pytest.mark.django_db

HOST = "help.example.org"


def add_faq_page(title: str, slug: str, live: bool = True) -> FAQPage:
    return FAQPageFactory(title=title, slug=slug, live=live,
                          category=FAQCategory.objects.get(name="Billing"))  # fmt: skip


@pytest.fixture
def pages() -> dict[str, FAQPage]:
    live = add_faq_page("Why was I billed twice?", "billed-twice")
    draft = add_faq_page("Draft question?", "draft", live=False)
    private = add_faq_page("Private question?", "private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return {"live": live, "draft": draft, "private": private}


def test_faq_listing_urls_are_those_of_the_serving_host(client: Client, pages):
    items = client.get("/api/v2/faq/", HTTP_HOST=HOST).json()["items"]
    meta = items[0]["meta"]
    assert meta["html_url"] == f"http://{HOST}/faq/billed-twice/"
    assert meta["detail_url"] == f"http://{HOST}/api/v2/faq/{pages['live'].pk}/"


def test_faq_detail_url_is_that_of_the_serving_host(client: Client, pages):
    detail = client.get(f"/api/v2/faq/{pages['live'].pk}/", HTTP_HOST=HOST).json()
    assert detail["meta"]["html_url"] == f"http://{HOST}/faq/billed-twice/"
    assert "localhost" not in str(detail)


def test_secure_requests_get_https_urls(client: Client, pages):
    response = client.get(f"/api/v2/faq/{pages['live'].pk}/", HTTP_HOST=HOST, secure=True)
    assert response.json()["meta"]["html_url"] == f"https://{HOST}/faq/billed-twice/"


def test_find_redirects_on_the_serving_host(client: Client, pages):
    response = client.get("/api/v2/faq/find/", {"html_path": "/faq/billed-twice/"}, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"] == f"http://{HOST}/api/v2/faq/{pages['live'].pk}/"


def test_pages_endpoint_lists_live_public_faq_pages_by_type(client: Client, pages):
    response = client.get(
        "/api/v2/pages/",
        {"type": "faq.FAQPage", "fields": "answer_html,category_name"},
        HTTP_HOST=HOST,
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Why was I billed twice?"]
    item = items[0]
    assert item["answer_html"] == "<p>Why was I billed twice? answer.</p>"
    assert item["category_name"] == "Billing"
    assert item["meta"]["type"] == "faq.FAQPage"
    assert item["meta"]["html_url"] == f"http://{HOST}/faq/billed-twice/"
    assert item["meta"]["detail_url"] == f"http://{HOST}/api/v2/pages/{pages['live'].pk}/"


def test_pages_endpoint_detail_and_find_by_path(client: Client, pages):
    found = client.get("/api/v2/pages/find/", {"html_path": "/faq/billed-twice/"}, HTTP_HOST=HOST)
    assert found.status_code == 302
    assert found["Location"] == f"http://{HOST}/api/v2/pages/{pages['live'].pk}/"
    detail = client.get(found["Location"], HTTP_HOST=HOST).json()
    assert detail["title"] == "Why was I billed twice?"
    assert detail["answer_html"] == "<p>Why was I billed twice? answer.</p>"
    assert detail["meta"]["parent"]["meta"]["html_url"] == f"http://{HOST}/faq/"
    assert "localhost" not in str(detail)


def test_pages_endpoint_never_serves_drafts_or_private_pages(client: Client, pages):
    listed = client.get("/api/v2/pages/", {"type": "faq.FAQPage"}).json()["items"]
    everything = client.get("/api/v2/pages/").json()["items"]
    titles = {item["title"] for item in listed + everything}
    assert "Draft question?" not in titles
    assert "Private question?" not in titles
    for page in (pages["draft"], pages["private"]):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
        found = client.get("/api/v2/pages/find/", {"html_path": f"/faq/{page.slug}/"})
        assert found.status_code == 404


def test_pages_endpoint_hides_pages_under_a_private_index(client: Client, pages):
    PageViewRestriction.objects.create(
        page=FAQIndexPage.objects.get(locale__language_code="en"), restriction_type="login"
    )
    assert client.get("/api/v2/pages/", {"type": "faq.FAQPage"}).json()["items"] == []
    assert client.get(f"/api/v2/pages/{pages['live'].pk}/").status_code == 404


def test_pages_endpoint_never_serves_the_tree_root(client: Client, pages):
    root = Page.objects.get(depth=1)
    assert client.get(f"/api/v2/pages/{root.pk}/").status_code == 404


def test_pages_endpoint_find_without_match_is_404(client: Client, pages):
    assert client.get("/api/v2/pages/find/", {"html_path": "/faq/nothing/"}).status_code == 404
