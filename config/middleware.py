"""Response headers that Django's SecurityMiddleware does not set."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": []}` -> `camera=()`; `{"fullscreen": ["self"]}` -> `fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Send GUICHET_PERMISSIONS_POLICY as the Permissions-Policy header of every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.GUICHET_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
