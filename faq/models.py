"""The public FAQ: a home page, the FAQ index, FAQ pages and their categories.

Nothing here knows about tickets: an FAQ page carries a question and its answer, no more.
"""

import json
import re
from html import unescape

from django import forms
from django.core.paginator import Paginator
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from faq.forms import FAQPageForm

FAQ_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "code"]


class HomePage(Page):
    """The site's home: a welcome and the way to the FAQ."""

    intro = RichTextField(_("introduction"), blank=True, features=FAQ_RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["faq.FAQIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def faq_indexes(self):
        return FAQIndexPage.objects.child_of(self).live().public()


class FAQCategory(TranslatableMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")

    def __str__(self) -> str:
        return self.name


class FAQPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "faq.FAQPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class FAQIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=FAQ_RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["faq.FAQPage"]
    parent_page_types = ["faq.HomePage"]
    per_page = 20

    class Meta:
        verbose_name = _("FAQ index")

    def faq_pages(self):
        return FAQPage.objects.child_of(self).live().public().select_related("category")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = printable(request.GET.get("q", ""))[:SEARCH_MAX_LENGTH].strip()
        pages = self.faq_pages()
        if query:
            results = search_faq_pages(pages, query)
        else:
            results = pages.order_by("category__name", "title")
        page = Paginator(results, self.per_page).get_page(request.GET.get("page"))
        context.update(query=query, faq_pages=page, grouped=not query)
        return context


SEARCH_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 20
SEARCH_TERM = re.compile(r"\w+")


def printable(text: str) -> str:
    """What a visitor typed, without NUL and other control characters (PostgreSQL refuses NUL)."""
    return "".join(char if char.isprintable() else " " for char in text)


def search_terms(query: str) -> str:
    """The words of a visitor's query, as plain words.

    Quotes, parentheses, `*`, `:` and the like are full-text syntax to SQLite's FTS5 (an
    unbalanced quote is an SQL error there), so only letters and digits reach the backend.
    """
    return " ".join(SEARCH_TERM.findall(printable(query))[:SEARCH_MAX_TERMS])


def search_faq_pages(pages, query: str):
    terms = search_terms(query)
    if not terms:
        return pages.none()
    # SQLite's relevance score re-runs the search for every hit (quadratic in hits,
    # seconds at 10,000 pages: bench/RESULTS.md), so there hits come by title.
    by_relevance = connection.vendor != "sqlite"
    return pages.order_by("title").search(terms, order_by_relevance=by_relevance)


class FAQPage(Page):
    """The title is the question."""

    answer = RichTextField(_("answer"), features=FAQ_RICH_TEXT_FEATURES)
    category = models.ForeignKey(
        FAQCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_pages",
    )
    tags = ClusterTaggableManager(through=FAQPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("answer"),
        # A plain select of the page's locale (faq/forms.py), not a chooser of every locale.
        FieldPanel("category", widget=forms.Select),
        FieldPanel("tags"),
    ]
    base_form_class = FAQPageForm
    parent_page_types = ["faq.FAQIndexPage"]
    subpage_types = []
    search_fields = [*Page.search_fields, index.SearchField("answer")]
    api_fields = [
        APIField("answer_html"),
        APIField("category_name"),
        APIField("tag_names"),
        APIField("first_published_at"),
        APIField("last_published_at"),
    ]

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")

    def save(self, *args, **kwargs):
        # A translation copies the original's category: use the category of its own locale.
        if self.locale_id and self.category and self.category.locale_id != self.locale_id:
            self.category = self.category.get_translation_or_none(self.locale)
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["structured_data_json"] = structured_data_json(self)
        return context

    @property
    def answer_html(self) -> str:
        from wagtail.rich_text import expand_db_html

        return expand_db_html(self.answer)

    @property
    def category_name(self) -> str:
        return self.category.name if self.category else ""

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]


# What json_script escapes, so that no answer can close the <script> element it sits in.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|ul|ol|div|blockquote|pre)>", re.IGNORECASE)


def rich_text_to_plain_text(html: str) -> str:
    """Text with one line per paragraph, heading or list item, and no HTML entities left."""
    from django.utils.html import strip_tags

    text = unescape(strip_tags(BLOCK_END.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def structured_data_json(page: FAQPage) -> str:
    """schema.org FAQPage data for search engines, safe to put inside a <script> element."""
    from django.utils.safestring import mark_safe

    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": page.title,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": rich_text_to_plain_text(page.answer_html),
                },
            }
        ],
    }
    return mark_safe(json.dumps(data).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308
