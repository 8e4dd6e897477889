"""The FAQ's admin menu: FAQ categories, one per locale, managed by marketers."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from faq.models import FAQCategory


class FAQCategoryViewSet(SnippetViewSet):
    model = FAQCategory
    icon = "tag"
    menu_label = _("FAQ categories")
    list_display = ["name", "locale"]
    list_filter = ["locale"]
    ordering = ["name"]
    panels = [FieldPanel("name")]


class FAQViewSetGroup(SnippetViewSetGroup):
    menu_label = _("FAQ")
    menu_icon = "help"
    menu_name = "faq"
    menu_order = 250
    items = (FAQCategoryViewSet,)
