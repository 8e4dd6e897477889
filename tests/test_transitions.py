import pytest
from django_fsm import TransitionNotAllowed

from tests.factories import TicketFactory
from ticketing.tickets.choices import TicketStatus, TimelineKind
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import (
    TransitionRefused,
    apply_transition,
    available_transitions,
)

pytestmark = pytest.mark.django_db


def status_rows(ticket):
    return Ticket.objects.get(pk=ticket.pk).timeline.filter(kind=TimelineKind.STATUS)


def test_full_lifecycle_records_each_step(agent):
    ticket = TicketFactory()
    ticket = apply_transition(ticket, "start", agent, "Looking into it")
    ticket = apply_transition(ticket, "wait_for_response", agent)
    ticket = apply_transition(ticket, "resume", agent)
    ticket.solution = "Replaced the cable."
    ticket.save()
    ticket = apply_transition(ticket, "close", agent)

    assert ticket.status == TicketStatus.CLOSED
    assert ticket.closed_at is not None
    steps = list(status_rows(ticket).values_list("data__from", "data__to", "actor"))
    assert steps == [
        ("open", "in_progress", agent.pk),
        ("in_progress", "waiting", agent.pk),
        ("waiting", "in_progress", agent.pk),
        ("in_progress", "closed", agent.pk),
    ]
    assert status_rows(ticket).first().data["comment"] == "Looking into it"


def test_close_requires_a_solution_and_changes_nothing(agent):
    ticket = apply_transition(TicketFactory(), "start", agent)
    ticket.solution = "   "
    ticket.save()
    with pytest.raises(TransitionRefused, match="solution"):
        apply_transition(ticket, "close", agent)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.closed_at is None
    assert status_rows(ticket).count() == 1


def test_reopen_clears_closed_at(agent):
    ticket = TicketFactory(solution="Done")
    ticket = apply_transition(ticket, "close", agent)
    ticket = apply_transition(ticket, "reopen", agent)
    assert ticket.status == TicketStatus.OPEN
    assert ticket.closed_at is None


def test_impossible_transition_is_refused_with_a_reason(agent):
    ticket = TicketFactory()
    with pytest.raises(TransitionRefused, match="not possible while the ticket is “Open”"):
        apply_transition(ticket, "resume", agent)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN


def test_unknown_transition_is_refused(agent):
    with pytest.raises(TransitionRefused, match="not a ticket transition"):
        apply_transition(TicketFactory(), "delete_everything", agent)


def test_user_without_permission_is_refused(marketer):
    ticket = TicketFactory()
    with pytest.raises(TransitionRefused, match="permission"):
        apply_transition(ticket, "start", marketer)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.OPEN
    assert not status_rows(ticket).exists()


def test_status_cannot_be_assigned_directly():
    ticket = TicketFactory()
    with pytest.raises(AttributeError):
        ticket.status = TicketStatus.CLOSED


def test_stale_copy_cannot_transition_from_an_old_status(agent):
    ticket = TicketFactory()
    stale = Ticket.objects.get(pk=ticket.pk)
    apply_transition(ticket, "start", agent)
    # The stale copy still says "open"; the service re-reads the row and refuses "start".
    with pytest.raises(TransitionRefused):
        apply_transition(stale, "start", agent)
    assert status_rows(ticket).count() == 1


def test_available_transitions_follow_status_and_solution(agent, marketer):
    ticket = TicketFactory()
    assert available_transitions(ticket, agent) == ["start"]
    ticket.solution = "Fixed"
    assert available_transitions(ticket, agent) == ["start", "close"]
    assert available_transitions(ticket, marketer) == []


def test_model_transition_methods_still_guard_their_source():
    ticket = TicketFactory()
    with pytest.raises(TransitionNotAllowed):
        ticket.reopen()
