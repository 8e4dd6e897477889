"""The transitions agents can apply, with the words the admin shows for each.

Read from the model's transitions, where each says its label, icon and place (`custom=`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django_fsm import ANY_OTHER_STATE, ANY_STATE, Transition

from ticketing.tickets.models import Ticket


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: Promise
    icon: str


def _status_transitions() -> list[Transition]:
    return list(Ticket._meta.get_field("status").get_all_transitions(Ticket))


def _transitions_by_name() -> dict[str, TransitionInfo]:
    # django-fsm gives one Transition per source state: "close" comes three times.
    first = {}
    for transition in _status_transitions():
        first.setdefault(transition.name, transition)
    ordered = sorted(first.values(), key=lambda transition: transition.custom["order"])
    return {t.name: TransitionInfo(t.name, t.custom["label"], t.custom["icon"]) for t in ordered}


TRANSITIONS = _transitions_by_name()


def transition_from(status: str, name: str) -> Transition | None:
    """The transition `name` out of `status`, with its conditions and permission, or None."""
    candidates = [t for t in _status_transitions() if t.name == name]
    for source in (status, ANY_STATE):
        if match := next((t for t in candidates if t.source == source), None):
            return match
    return next((t for t in candidates if t.source == ANY_OTHER_STATE and t.target != status), None)
