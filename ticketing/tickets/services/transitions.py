from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from ticketing.tickets.lifecycle import TRANSITIONS, transition_from
from ticketing.tickets.models import Ticket


class TransitionRefused(Exception):  # noqa: N818 - reads as what happened
    """The transition cannot be applied; the message tells the agent why."""


def refusal_reason(
    ticket: Ticket,
    name: str,
    user,
    check_conditions: bool = True,
    check_permission: bool = True,
) -> str | None:
    """Why `user` may not apply transition `name` to `ticket` as it is now, or None if they may.

    Without `check_conditions`, only the status and the permission count: the edit form offers
    "Close" before the agent has typed the solution it needs. Without `check_permission`, the
    transition is the system's own (an incoming email), with no user to ask. With both, None
    means exactly what django-fsm's `has_transition_perm` says yes to; the reason is the first
    check that fails, each condition saying its own (`refusal` in ticketing.tickets.models).
    """
    if name not in TRANSITIONS:
        return _("“%(name)s” is not a ticket transition.") % {"name": name}
    if not can_proceed(getattr(ticket, name), check_conditions=False):
        return _("“%(transition)s” is not possible while the ticket is “%(status)s”.") % {
            "transition": TRANSITIONS[name].label,
            "status": ticket.get_status_display(),
        }
    transition = transition_from(ticket.status, name)
    if check_permission and (user is None or not transition.has_perm(ticket, user)):
        return _("You do not have permission to change the status of tickets.")
    if check_conditions:
        for condition in transition.conditions:
            if not condition(ticket):
                return str(condition.refusal_message)
    return None


def available_transitions(ticket: Ticket, user, check_conditions: bool = True) -> list[str]:
    """The transitions `user` can apply now, in the order the admin shows them."""
    return [
        name for name in TRANSITIONS if refusal_reason(ticket, name, user, check_conditions) is None
    ]


def apply_transition(
    ticket: Ticket, name: str, user, comment: str = "", check_permission: bool = True
) -> Ticket:
    """Apply transition `name` to `ticket` for `user`, with `comment` on its timeline row.

    The ticket row is locked and re-read first so that two agents acting at once cannot both
    move it from the same status; nothing is written when the transition is refused. The save
    writes the status row and publishes `TicketTransitioned` (`ticketing.tickets.timeline`).
    `check_permission=False` is for the system's own transitions (`user` is then None), such
    as a customer's email resuming a ticket.
    """
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        reason = refusal_reason(locked, name, user, check_permission=check_permission)
        if reason:
            raise TransitionRefused(reason)
        locked.transition_actor, locked.transition_comment = user, comment
        getattr(locked, name)()
        locked.save()
    return locked
