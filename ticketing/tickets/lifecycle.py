"""The transitions agents can apply, with the words the admin shows for each."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: Promise
    icon: str


TRANSITIONS = {
    info.name: info
    for info in [
        TransitionInfo("start", _("Start"), "resubmit"),
        TransitionInfo("wait_for_response", _("Wait for response"), "time"),
        TransitionInfo("resume", _("Resume"), "resubmit"),
        TransitionInfo("close", _("Close"), "success"),
        TransitionInfo("reopen", _("Reopen"), "undo"),
    ]
}
