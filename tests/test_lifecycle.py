"""The lifecycle is read from the model's transitions (django-fsm-2): words, icons, refusals."""

from pathlib import Path

import pytest
from django.utils import translation
from django_fsm import has_transition_perm

from tests.factories import TicketFactory, UserFactory
from ticketing.tickets.choices import TicketStatus
from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.transitions import available_transitions, refusal_reason

ROOT = Path(__file__).resolve().parent.parent
MODEL_TRANSITIONS = list(Ticket._meta.get_field("status").get_all_transitions(Ticket))


def test_the_admin_offers_the_model_transitions_in_their_order():
    assert list(TRANSITIONS) == ["start", "wait_for_response", "resume", "close", "reopen"]
    for transition in MODEL_TRANSITIONS:
        info = TRANSITIONS[transition.name]
        assert (info.label, info.icon) == (transition.custom["label"], transition.custom["icon"])


def test_labels_are_translated_when_shown():
    with translation.override("fr"):
        assert str(TRANSITIONS["close"].label) == "Fermer"


def test_every_condition_says_why_it_refuses():
    conditions = [c for t in MODEL_TRANSITIONS for c in t.conditions]
    assert conditions
    assert all(str(condition.refusal_message) for condition in conditions)


@pytest.mark.django_db
@pytest.mark.parametrize("status", TicketStatus.values)
@pytest.mark.parametrize("solution", ["", "Replaced the toner."])
@pytest.mark.parametrize("role", ["Support agents", "Marketers"])
def test_no_refusal_exactly_when_django_fsm_allows(status, solution, role):
    ticket = TicketFactory.build(status=status, solution=solution)
    user = UserFactory(username="someone", role=role)
    for name in TRANSITIONS:
        allowed = has_transition_perm(getattr(ticket, name), user)
        assert (refusal_reason(ticket, name, user) is None) == allowed, (status, name, role)


@pytest.mark.django_db
def test_each_refusal_says_what_failed_first(agent, marketer):
    ticket = TicketFactory.build(status=TicketStatus.OPEN, solution=" ")
    assert refusal_reason(ticket, "close", agent) == "Enter a solution before closing the ticket."
    assert "permission" in refusal_reason(ticket, "close", marketer)
    assert "not possible" in refusal_reason(ticket, "reopen", agent)
    assert refusal_reason(ticket, "close", agent, check_conditions=False) is None
    with translation.override("fr"):
        assert refusal_reason(ticket, "close", agent) == (
            "Saisissez une solution avant de fermer le ticket."
        )


@pytest.mark.django_db
def test_the_system_needs_no_user_but_a_check_without_one_refuses():
    ticket = TicketFactory.build(status=TicketStatus.WAITING)
    assert refusal_reason(ticket, "resume", None, check_permission=False) is None
    assert "permission" in refusal_reason(ticket, "resume", None)


@pytest.mark.django_db
def test_available_transitions_follow_the_model_order(agent):
    ticket = TicketFactory.build(status=TicketStatus.IN_PROGRESS, solution="Done.")
    assert available_transitions(ticket, agent) == ["wait_for_response", "close"]


def test_nothing_reads_django_fsm_private_attributes():
    sources = sorted((ROOT / "ticketing").rglob("*.py"))
    assert not [p for p in sources if "_django_fsm" in p.read_text()]
