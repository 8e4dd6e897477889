"""The headless FAQ: Wagtail's API v2, serving live public FAQ pages and nothing else."""

from wagtail.api.querysets import get_public_pages_queryset
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from faq.models import FAQPage


class FAQPagesAPIViewSet(PagesAPIViewSet):
    model = FAQPage
    # Listing shows the question; the detail adds the answer, category, tags and dates.
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "category_name"]

    def get_base_queryset(self):
        # Live and public pages only (Wagtail's rule), and of them only FAQ pages: no other
        # page type, draft or private page can be reached through ?type= or an id.
        return get_public_pages_queryset(self.request).type(FAQPage)

    def get_queryset(self):
        # One query per page for its locale and category otherwise (47 queries for 20 items).
        queryset = super().get_queryset().select_related("locale")
        return queryset.select_related("category") if queryset.model is FAQPage else queryset


api_router = WagtailAPIRouter("faqapi")
api_router.register_endpoint("faq", FAQPagesAPIViewSet)
