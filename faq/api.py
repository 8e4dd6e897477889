"""The headless FAQ: Wagtail's API v2, serving live public pages and nothing else.

`/api/v2/pages/` is Wagtail's standard pages endpoint (every live, public page of the site;
`?type=faq.FAQPage` for answers), `/api/v2/faq/` serves FAQ pages only. Both give URLs rooted
at the host that served the request: the Site's hostname is a configuration detail (often
`localhost`) that a headless client cannot follow.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.fields import Field
from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import (
    PageAliasOfField,
    PageParentField,
    PageSerializer,
    get_serializer_class,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from faq.models import FAQPage


def detail_url(request, pk: int) -> str:
    """The object's detail URL in the endpoint that serves this request, on the serving host."""
    namespace = request.resolver_match.namespace
    return request.build_absolute_uri(reverse(f"{namespace}:detail", args=(pk,)))


class ServingSiteDetailUrlField(Field):
    def get_attribute(self, instance):
        return detail_url(self.context["request"], instance.pk)

    def to_representation(self, value):
        return value


class ServingSiteHtmlUrlField(Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        request = self.context["request"]
        # Relative for a page of the serving site, absolute for a page of another site.
        url = page.get_url(request=request)
        return request.build_absolute_uri(url) if url else None


class NestedPageMixin:
    """Parent and alias pages, serialised with the same serving-site URLs."""

    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=ServingSitePageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class ServingSiteParentField(NestedPageMixin, PageParentField):
    pass


class ServingSiteAliasOfField(NestedPageMixin, PageAliasOfField):
    pass


class ServingSitePageSerializer(PageSerializer):
    detail_url = ServingSiteDetailUrlField(read_only=True)
    html_url = ServingSiteHtmlUrlField(read_only=True)
    parent = ServingSiteParentField(read_only=True)
    alias_of = ServingSiteAliasOfField(read_only=True)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint: live and public pages only, URLs of the serving site."""

    base_serializer_class = ServingSitePageSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL in any string: a 400 here, not a 500 from the database.
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            raise BadRequestError(_("Query parameters may not contain NUL characters."))

    def get_queryset(self):
        # One query per page for its locale and category otherwise (47 queries for 20 items).
        queryset = super().get_queryset().select_related("locale")
        return queryset.select_related("category") if queryset.model is FAQPage else queryset

    def find_view(self, request):
        # Wagtail's find_view, redirecting to the serving host instead of the Site's hostname.
        try:
            page = self.find_object(self.get_queryset(), request)
        except ObjectDoesNotExist:
            page = None
        except ValueError as error:  # ?id=abc
            raise BadRequestError(_("Invalid value.")) from error
        if page is None:
            raise Http404(_("not found"))
        query = request.GET.copy()
        for parameter in self.find_query_parameters:
            query.pop(parameter, None)
        url = detail_url(request, page.pk)
        return redirect(f"{url}?{query.urlencode()}" if query else url)


class FAQPagesAPIViewSet(PublicPagesAPIViewSet):
    model = FAQPage
    # Listing shows the question; the detail adds the answer, category, tags and dates.
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "category_name"]

    def get_base_queryset(self):
        # Live and public pages only (Wagtail's rule), and of them only FAQ pages: no other
        # page type, draft or private page can be reached through ?type= or an id.
        return get_public_pages_queryset(self.request).type(FAQPage)


api_router = WagtailAPIRouter("faqapi")
api_router.register_endpoint("faq", FAQPagesAPIViewSet)
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
