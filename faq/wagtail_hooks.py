from wagtail.snippets.models import register_snippet

from faq.views import FAQViewSetGroup

register_snippet(FAQViewSetGroup)
