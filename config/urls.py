from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from faq.api import api_router
from ticketing.mail.views.webhooks import anymail_urlpatterns

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Inbound email and delivery tracking from the ESP: /anymail/<esp>/inbound/, …/tracking/
    path(
        "anymail/",
        include(anymail_urlpatterns()),
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents (ticket attachments) are served by Wagtail's permission-checked
    # view, never straight from the media folder.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

urlpatterns += [
    # The headless FAQ: live, public FAQ pages only (faq/api.py).
    path("api/v2/", api_router.urls),
]
# Public pages: English at /, French under /fr/ (Wagtail's locales).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
