"""Changing many tickets at once (bulk actions; later merges and automation rules): each ticket
as if on its own, and what is derived from many of them worked out once for all."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from ticketing.tickets.events import batch
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import TransitionRefused, apply_transition


@dataclass
class BulkOutcome:
    changed: list[Ticket] = field(default_factory=list)
    # Each ticket left as it was, with why (for the agent).
    refused: list[tuple[Ticket, str]] = field(default_factory=list)


def apply_transition_to_many(
    tickets: Iterable[Ticket], name: str, *, by, comment: str = ""
) -> BulkOutcome:
    """Apply transition `name` to each of `tickets` for `by`, in one transaction.

    A ticket that cannot move (no solution, wrong status) is reported and left as it was while
    the others move; a refusal writes and publishes nothing. Each moved ticket publishes its
    TicketTransitioned; the contracts they count towards are recounted once each, at the end
    (`events.batch`), not once per ticket. Any other error undoes the whole change.
    """
    outcome = BulkOutcome()
    with batch():
        for ticket in tickets:
            try:
                outcome.changed.append(apply_transition(ticket, name, by, comment))
            except TransitionRefused as refusal:
                outcome.refused.append((ticket, str(refusal)))
    return outcome
