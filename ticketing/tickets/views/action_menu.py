from wagtail.snippets.action_menu import ActionMenuItem

from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import refusal_reason


class TransitionMenuItem(ActionMenuItem):
    """ "Save and <transition>" in the ticket's edit form: what the agent typed is kept."""

    def __init__(self, transition: str, order: int):
        super().__init__(order=order)
        self.transition = transition
        self.name = f"action-{transition}"
        self.label = TRANSITIONS[transition].label
        self.icon_name = TRANSITIONS[transition].icon

    def is_shown(self, context) -> bool:
        instance = context.get("instance")
        return (
            super().is_shown(context)
            and context.get("view") == "edit"
            and isinstance(instance, Ticket)
            and refusal_reason(
                instance, self.transition, context["request"].user, check_conditions=False
            )
            is None
        )


def transition_menu_items() -> list[TransitionMenuItem]:
    return [TransitionMenuItem(name, order=200 + i) for i, name in enumerate(TRANSITIONS)]
