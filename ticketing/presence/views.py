"""The ticket page's presence endpoint: it says "I am here (typing or not)", hears who else is."""

from django.http import Http404, JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from ticketing.common.people import display_name
from ticketing.presence.models import TicketPresence
from ticketing.presence.services import (
    forget_expired,
    leave_ticket,
    others_on_ticket,
    record_presence,
)
from ticketing.tickets.models import Ticket


def presence_line(presence: TicketPresence) -> str:
    """One sentence per colleague, in the reader's language and time zone."""
    values = {
        "name": display_name(presence.user),
        "time": formats.time_format(timezone.localtime(presence.since), "TIME_FORMAT"),
    }
    if presence.typing:
        return _("%(name)s is typing a reply (on this ticket since %(time)s)") % values
    return _("%(name)s has this ticket open (since %(time)s)") % values


def others_payload(others: list[TicketPresence]) -> list[dict]:
    return [
        {
            "name": display_name(presence.user),
            "since": presence.since.isoformat(),
            "typing": presence.typing,
            "text": presence_line(presence),
        }
        for presence in others
    ]


class TicketPresenceView(View):
    """POSTed by the ticket page every few seconds (`typing`: "1" or "0"; `leave` when it
    closes). A ticket the user cannot see is not found, and tells them nobody."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        ticket = Ticket.objects.visible_to(request.user).filter(pk=pk).first()
        if ticket is None:
            raise Http404
        if request.POST.get("leave"):
            leave_ticket(ticket, request.user)
            return JsonResponse({"others": []})
        record_presence(ticket, request.user, typing=request.POST.get("typing") == "1")
        forget_expired(ticket)
        return JsonResponse({"others": others_payload(others_on_ticket(ticket, request.user))})
