"""anymail's inbound and tracking webhooks, with the answers an ESP understands."""

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import URLPattern


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


def anymail_urlpatterns() -> tuple[list[URLPattern], str]:
    """anymail's URLs (namespace unchanged), each view wrapped in the guard."""
    return [guard_webhook(p) for p in anymail_urls.urlpatterns], anymail_urls.app_name
