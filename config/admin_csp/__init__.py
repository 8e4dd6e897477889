"""Wagtail's admin under a script policy without 'unsafe-inline'.

Wagtail 8 still starts its choosers and date pickers with an inline `<script>` written after
the widget's HTML. Rather than allow every inline script (which would let any injected one
run), those scripts, and only those, carry the request's CSP nonce: a script that reached a
page any other way has none and is blocked. Patched in apps.py.
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

INLINE_SCRIPT = "<script>"
# Wagtail's date widget templates, with the nonce on their initialiser (templates/admin_csp/).
NONCED_TEMPLATES = {
    "AdminDateInput": "admin_csp/date_input.html",
    "AdminTimeInput": "admin_csp/time_input.html",
    "AdminDateTimeInput": "admin_csp/datetime_input.html",
}


def request_nonce() -> str | None:
    """The nonce django-csp puts in this response's policy, or None outside a request."""
    nonce = getattr(current_request.get(), "csp_nonce", None)
    return str(nonce) if nonce is not None else None


class CurrentRequestMiddleware:
    """Make the request reachable from widget rendering (widgets are given no request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def render_with_nonce(render: Callable[..., str]) -> Callable[..., str]:
    """Wrap a chooser's render(): the bare `<script>` it appends gets the nonce.

    Everything a user typed is escaped in the widget's HTML, so a literal `<script>` in the
    output can only be the widget's own initialiser.
    """

    @functools.wraps(render)
    def wrapper(*args, **kwargs) -> str:
        html = render(*args, **kwargs)
        nonce = request_nonce()
        if not nonce or INLINE_SCRIPT not in html:
            return html
        stamped = html.replace(INLINE_SCRIPT, f'<script nonce="{nonce}">')
        return mark_safe(stamped) if isinstance(html, SafeString) else stamped  # noqa: S308

    return wrapper


def context_with_nonce(get_context: Callable[..., dict]) -> Callable[..., dict]:
    """Wrap a date widget's get_context(): its template puts widget.csp_nonce on the script.

    The context, not render(), because a date range filter renders its two date inputs
    through its own template, never calling theirs.
    """

    @functools.wraps(get_context)
    def wrapper(*args, **kwargs) -> dict:
        context = get_context(*args, **kwargs)
        context["widget"]["csp_nonce"] = request_nonce()
        return context

    return wrapper
