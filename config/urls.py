from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import URLPattern, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from faq.api import api_router


class UnreadableWebhook(SuspiciousOperation):
    """Answered with 400, like Django's other refusals of a request it cannot use."""


class WebhookGuard:
    """anymail's webhook views, answering 403 to a wrong secret and 400 to an unreadable body.

    By themselves they answer 400 to the first and 500 to the second, which an ESP retries for
    days. Errors in our own receivers are not caught: a 500 there gets the message delivered
    again once the fault is fixed.
    """

    def run_validators(self, request):
        try:
            super().run_validators(request)
        except AnymailWebhookValidationFailure as error:
            raise PermissionDenied(str(error)) from error

    def parse_events(self, request):
        try:
            return super().parse_events(request)
        except (AnymailConfigurationError, AttributeError, LookupError, TypeError, ValueError) as e:
            raise UnreadableWebhook(f"Unreadable {self.esp_name} webhook payload: {e}") from e


def guard_webhook(pattern: URLPattern) -> URLPattern:
    view_class = pattern.callback.view_class
    guarded = type(view_class.__name__, (WebhookGuard, view_class), {})
    view = guarded.as_view(**pattern.callback.view_initkwargs)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Inbound email and delivery tracking from the ESP: /anymail/<esp>/inbound/, …/tracking/
    path(
        "anymail/",
        include(([guard_webhook(p) for p in anymail_urls.urlpatterns], anymail_urls.app_name)),
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
