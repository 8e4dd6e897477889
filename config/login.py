"""Login throttling (django-axes) shown on Wagtail's own login page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

LOCKED_OUT_STATUS = 429


def lockout_message() -> str:
    cooloff = settings.AXES_COOLOFF_TIME
    if not cooloff:
        return str(_("Too many failed logins. Ask an administrator to unlock your account."))
    minutes = max(1, round(cooloff.total_seconds() / 60))
    return ngettext(
        "Too many failed logins. Try again in %(minutes)d minute.",
        "Too many failed logins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, which says "locked out" rather than "wrong password" when axes
    refused the attempt (axes flags the request; authenticate() just returns no user)."""

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: keep Wagtail's login page (it carries the message), as 429."""
    if isinstance(original_response, TemplateResponse) and "form" in (
        original_response.context_data or {}
    ):
        original_response.status_code = LOCKED_OUT_STATUS
        return original_response
    return HttpResponse(lockout_message(), status=LOCKED_OUT_STATUS)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry our own proxies put in X-Forwarded-For.

    Only the last GUICHET_TRUSTED_PROXY_COUNT entries were written by proxies we trust; anything
    before them is whatever the client sent, so it is never read.
    """
    proxies = settings.GUICHET_TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
