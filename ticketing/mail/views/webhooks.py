"""anymail's inbound and tracking webhooks, with the answers an ESP understands."""

import re

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import URLPattern

from ticketing.mail.services.inbound_checks import (
    MAX_JSON_DEPTH,
    MAX_MIME_DEPTH,
    json_depth,
    raw_mime_depth,
)

ANYMAIL_BACKEND = re.compile(r"^anymail\.backends\.(?P<esp>\w+)\.EmailBackend$")


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
        # The JSON decoder and the MIME parser recurse once per level: refuse deep nesting
        # before they run out of stack, and catch what a nested payload inside still hides.
        body = request.body
        if body.lstrip()[:1] in (b"{", b"[") and json_depth(body) > MAX_JSON_DEPTH:
            raise UnreadableWebhook(
                f"{self.esp_name} webhook payload nested more than {MAX_JSON_DEPTH} levels deep."
            )
        # The raw message inside, as lines again (a JSON string escapes them): parsing a message
        # nested thousands of levels costs seconds before it fails.
        lines = body.replace(b"\\r\\n", b"\n").replace(b"\\n", b"\n").replace(b'\\"', b'"')
        if raw_mime_depth(lines) > MAX_MIME_DEPTH:
            raise UnreadableWebhook(
                f"The message in the {self.esp_name} webhook nests more than {MAX_MIME_DEPTH} "
                "levels deep."
            )
        try:
            return super().parse_events(request)
        except RecursionError as error:
            raise UnreadableWebhook(f"{self.esp_name} webhook payload nested too deep.") from error
        except (AnymailConfigurationError, AttributeError, LookupError, TypeError, ValueError) as e:
            raise UnreadableWebhook(f"Unreadable {self.esp_name} webhook payload: {e}") from e


def guard_webhook(pattern: URLPattern) -> URLPattern:
    view_class = pattern.callback.view_class
    guarded = type(view_class.__name__, (WebhookGuard, view_class), {})
    view = guarded.as_view(**pattern.callback.view_initkwargs)
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


def configured_esp() -> str:
    """The ESP mail comes from: GUICHET_INBOUND_ESP, else the one EMAIL_BACKEND sends through."""
    if settings.GUICHET_INBOUND_ESP:
        return settings.GUICHET_INBOUND_ESP.strip().lower()
    found = ANYMAIL_BACKEND.match(settings.EMAIL_BACKEND)
    return found["esp"] if found else ""


def anymail_urlpatterns() -> tuple[list[URLPattern], str]:
    """The configured ESP's anymail URLs (namespace unchanged), each view wrapped in the guard.

    Only that ESP's: the others' views need settings we do not have and answer 500 to anyone.
    """
    esp = configured_esp()
    patterns = [p for p in anymail_urls.urlpatterns if esp and p.name.startswith(f"{esp}_")]
    return [guard_webhook(p) for p in patterns], anymail_urls.app_name
