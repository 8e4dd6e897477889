"""One permission policy per model, asked everywhere: no view or template spells a permission."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models
from wagtail.utils.registry import ObjectTypeRegistry

from tests.admin_urls import guichet_app_labels
from tests.factories import UserFactory
from ticketing.common.people import support_staff
from ticketing.tickets.models import Ticket
from ticketing.tickets.permissions import TicketPermissionPolicy

ROOT = Path(__file__).resolve().parent.parent
GUICHET_MODELS = [
    m for m in get_snippet_models() if m.__module__.startswith(("ticketing.", "faq."))
]


@pytest.mark.parametrize("model", GUICHET_MODELS, ids=lambda m: m._meta.label)
def test_each_model_registers_its_own_policy(model):
    # Registered in its app's ready(): not a fallback Wagtail made on the first question.
    assert ObjectTypeRegistry.get_by_type(policy_registry, model) is not None
    assert policy_registry.get_fallback_policy(model) is None


def test_tickets_have_their_own_policy():
    assert isinstance(policy_registry.get_by_type(Ticket), TicketPermissionPolicy)


def test_the_matrix_covers_every_guichet_model():
    assert len(GUICHET_MODELS) >= 18


@pytest.mark.django_db
def test_support_staff_are_whom_the_ticket_policy_lets_change_a_status(agent, manager, marketer):
    root = UserFactory(username="root", is_superuser=True)
    editor = UserFactory(username="editor")  # may edit tickets, not move them
    editor.user_permissions.add(Permission.objects.get(codename="change_ticket"))
    gone = UserFactory(username="gone", role="Support agents", is_active=False)
    staff = set(support_staff())
    assert staff == {agent, manager, root}
    assert {marketer, editor, gone}.isdisjoint(staff)
    assert staff == set(policy_registry.get_by_type(Ticket).users_with_permission("transition"))


LABELS = "|".join(sorted(guichet_app_labels() | {"faq"}))
# "tickets.change_ticket", "records.view_activity"…: a permission spelled with its app label.
PERMISSION_STRING = re.compile(rf"""["'](?:{LABELS})\.\w+_\w+["']""")
LITERAL_CHECK = re.compile(r"""has_perms?\(\s*["'f]""")
SOURCES = sorted((ROOT / "ticketing").rglob("*.py")) + sorted((ROOT / "faq").rglob("*.py"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted(
    (ROOT / "templates").rglob("*.txt")
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_source_spells_a_permission(path):
    text = path.read_text()
    assert not PERMISSION_STRING.findall(text), "ask the model's permission policy instead"
    assert not LITERAL_CHECK.findall(text), "ask the model's permission policy instead"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_checks_a_permission(path):
    text = path.read_text()
    assert "perms." not in text, "give the template a flag computed with the policy"
    assert not PERMISSION_STRING.findall(text)
