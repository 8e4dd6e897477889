"""Private documents: a refused download is a page of the admin, not Wagtail's bare login form.

Who may download a ticket attachment is decided by its collection's view restriction: the
support groups, who today are exactly the users who see every ticket (the tickets app's
`visible_to`), so a marketer or anyone without ticket permission is refused here. When
`visible_to` narrows (portal, teams), a document linked only to tickets the user may not see
must be refused too: a `before_serve_document` hook of the app that links documents to tickets.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import BaseViewRestriction

ACCOUNT_RESTRICTIONS = {BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS}


def refuse_restricted_document(document, request: HttpRequest) -> HttpResponse | None:
    """Before Wagtail serves `document`: the admin's login page for someone not signed in, a
    styled "not for you" page for someone signed in without the right group.

    Wagtail would send both to its unstyled front-end login form, where a signed-in user
    only gets the same form again. Password restrictions stay Wagtail's.
    """
    for restriction in document.collection.get_view_restrictions():
        if restriction.restriction_type not in ACCOUNT_RESTRICTIONS:
            continue
        if restriction.accept_request(request):
            continue
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return TemplateResponse(request, "ticketing/document_refused.html", status=403)
    return None
