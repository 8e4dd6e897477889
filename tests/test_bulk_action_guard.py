"""Every bulk-action page of every model refuses a user without the permission it needs.

Wagtail renders the selected objects' names ("You don't have permission to delete: …") before
checking anything; these pages must refuse first, the way Wagtail refuses any page.
"""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from tests.admin_urls import bulk_action_url, guichet_app_labels
from tests.factories import DocumentFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Hush 4711"

ROLES = {"marketer": "Marketers", "agent": "Support agents"}

# The bulk actions each role may open: every other cell of the matrix must refuse it.
ALLOWED = {
    "agent": {
        ("tickets", "ticket", "assign"),
        ("tickets", "ticket", "transition"),
        # Agents change documents of the ticket-attachments collection (tags, collection).
        ("wagtaildocs", "document", "add_tags"),
        ("wagtaildocs", "document", "add_to_collection"),
        # Agents write FAQ answers: they may change (so move) FAQ pages.
        ("wagtailcore", "page", "move"),
    },
    "marketer": {
        ("wagtailcore", "page", "move"),
        ("wagtailcore", "page", "publish"),
        ("wagtailcore", "page", "unpublish"),
        ("faq", "faqcategory", "delete"),
    },
}


def registered_actions() -> list[tuple[str, str, str]]:
    bulk_action_registry._scan_for_bulk_actions()
    return sorted(
        (app_label, model_name, action_type)
        for app_label, by_model in bulk_action_registry.actions.items()
        for model_name, actions in by_model.items()
        for action_type in actions
    )


ACTIONS = registered_actions()
REFUSED = [(role, *action) for role in ROLES for action in ACTIONS if action not in ALLOWED[role]]


def make_record(model: type[models.Model]) -> models.Model:
    """One row of `model` whose name carries SECRET, whatever the model."""
    if model is get_document_model():
        return DocumentFactory(title=SECRET)
    if model is get_image_model():
        return model.objects.create(title=SECRET, file=get_test_image_file())
    if issubclass(model, Page):
        home = Page.objects.filter(depth=2).order_by("path").first()
        return home.add_child(instance=Page(title=SECRET, slug="hush"))
    if model is UserFactory._meta.model:
        return UserFactory(username="hush4711", first_name="Hush", last_name="4711")
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or not field.editable:
            continue
        if isinstance(field, (models.CharField, models.TextField)):
            # Cut to the column's size: PostgreSQL enforces it (a 3-letter direction code).
            values[field.name] = f"{SECRET} {model._meta.model_name}"[: field.max_length]
        elif isinstance(field, (models.DecimalField, models.IntegerField)):
            values[field.name] = 1
    record = model.objects.create(**values)
    record.refresh_from_db()
    return record


def assert_refused_without_names(client, url: str, record) -> None:
    response = client.get(url)
    assert response.status_code == 302, url
    assert response.url == reverse("wagtailadmin_home")
    assert str(record).encode() not in response.content
    assert SECRET.encode() not in response.content
    followed = client.get(response.url)
    assert b"do not have permission" in followed.content
    posted = client.post(url)
    assert posted.status_code == 302
    assert posted.url == reverse("wagtailadmin_home")


def test_the_matrix_covers_every_model_and_wagtail_action():
    models_covered = {(app, model) for app, model, _ in ACTIONS}
    assert len([m for m in models_covered if m[0] in guichet_app_labels()]) >= 17
    assert {
        ("auth", "user"),
        ("wagtaildocs", "document"),
        ("wagtailimages", "image"),
        ("wagtailcore", "page"),
    } <= models_covered


@pytest.mark.parametrize("selection", ["all", "listed"])
@pytest.mark.parametrize(("role", "app_label", "model_name", "action"), REFUSED)
def test_bulk_action_refuses_before_naming_anything(
    client, role, app_label, model_name, action, selection
):
    record = make_record(apps.get_model(app_label, model_name))
    client.force_login(UserFactory(username=role, role=ROLES[role]))
    selection_id = "all" if selection == "all" else record.pk
    assert_refused_without_names(
        client,
        bulk_action_url(apps.get_model(app_label, model_name), action, [selection_id]),
        record,
    )
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(("app_label", "model_name", "action"), ACTIONS)
def test_anonymous_is_sent_to_login(client, app_label, model_name, action):
    record = make_record(apps.get_model(app_label, model_name))
    response = client.get(bulk_action_url(apps.get_model(app_label, model_name), action, ["all"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    assert str(record).encode() not in response.content


def test_manager_still_confirms_a_bulk_delete_with_the_names(client, manager):
    ticket = TicketFactory(title=SECRET)
    client.force_login(manager)
    response = client.get(bulk_action_url("ticket", "delete", [ticket.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    client.post(bulk_action_url("ticket", "delete", [ticket.pk]))
    assert not type(ticket).objects.filter(pk=ticket.pk).exists()


def test_agent_still_opens_the_ticket_bulk_actions(agent_client):
    ticket = TicketFactory(title=SECRET)
    response = agent_client.get(bulk_action_url("ticket", "assign", [ticket.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_superuser_opens_every_bulk_action_page(client, superuser):
    client.force_login(superuser)
    for app_label, model_name, action in ACTIONS:
        record = make_record(apps.get_model(app_label, model_name))
        response = client.get(bulk_action_url(type(record), action, [record.pk]))
        assert response.status_code == 200, (app_label, model_name, action)
        record.delete()


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "%00"])
@pytest.mark.parametrize("action", ["assign", "transition", "delete"])
def test_a_non_numeric_id_is_not_found(client, superuser, action, bad_id):
    TicketFactory(title=SECRET)
    client.force_login(superuser)
    response = client.get(bulk_action_url("ticket", action, [bad_id]))
    assert response.status_code == 404
    assert SECRET.encode() not in response.content
