"""One permission check in front of every bulk action of every model.

Wagtail's bulk-action pages (`/admin/bulk/<app>/<model>/<action>/`) only check each selected
object, and list the objects a user may not touch by name: any admin user could read every
ticket title or contact name. Every action class the registry hands out is wrapped here, so
that a user without the permission the action needs on the model is refused before anything
is loaded or rendered: Wagtail's own bulk actions (snippets, documents, images, users, pages)
as well as ours, and any registered later. A snippet action then takes only the rows the
model's permission policy gives the user: a ticket they may not see is not found, never named.
"""

from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.bulk_action.registry import BulkActionRegistry, bulk_action_registry
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

# The permission policy action each bulk action needs; any other action changes objects.
POLICY_ACTIONS = {"delete": "delete", "publish": "publish", "unpublish": "publish"}


def policy_action(action_class: type[BulkAction]) -> str:
    """The permission policy action `action_class` needs: its own `permission_action` (ours
    name one), else the one its type implies."""
    if action := getattr(action_class, "permission_action", None):
        return action
    return POLICY_ACTIONS.get(action_class.action_type, "change")


def user_may_run(action_class: type[BulkAction], user, model: type[Model]) -> bool:
    """Whether the permission policy of `model` grants `user` what `action_class` needs, so
    that collection and page-tree permissions count as Wagtail counts them."""
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(model)
    return policy.user_has_permission(user, policy_action(action_class))


class PermissionGuard:
    """Mixed in front of a bulk action: refuse first, then let the action do its work."""

    def dispatch(self, request, *args, **kwargs):
        if not user_may_run(type(self), request.user, self.model):
            # Wagtail's admin turns this into its usual refusal (a redirect with a message).
            raise PermissionDenied
        check_ids(self.model, request.GET.getlist("id"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, model, object_ids):
        if isinstance(self, SnippetBulkAction):
            policy = policy_registry.get_by_type(model)
            allowed = policy.instances_user_has_any_permission_for(
                self.request.user, [policy_action(type(self))]
            )
            object_ids = allowed.filter(pk__in=object_ids).values_list("pk", flat=True)
        return super().get_queryset(model, object_ids)


def check_ids(model: type[Model], ids: list[str]) -> None:
    """An id that cannot be one ("abc", "1.5") is not found, rather than a server error."""
    pk = model._meta.pk
    for value in ids:
        if value == "all":
            continue
        try:
            pk.to_python(value)
        except ValidationError as error:
            raise Http404 from error


@cache
def guarded(action_class: type[BulkAction]) -> type[BulkAction]:
    if issubclass(action_class, PermissionGuard):
        return action_class
    return type(
        action_class.__name__,
        (PermissionGuard, action_class),
        {"__module__": action_class.__module__, "__qualname__": action_class.__qualname__},
    )


class GuardedBulkActionRegistry(BulkActionRegistry):
    """Wagtail's registry, handing out every action class behind the permission guard."""

    def get_bulk_actions_for_model(self, app_label, model_name):
        return [guarded(cls) for cls in super().get_bulk_actions_for_model(app_label, model_name)]

    def get_bulk_action_class(self, app_label, model_name, action_type):
        action_class = super().get_bulk_action_class(app_label, model_name, action_type)
        return guarded(action_class) if action_class else None


def guard_every_bulk_action() -> None:
    # The registry is one shared instance that Wagtail's dispatcher and template tags imported
    # by name: change what it is rather than replace it. Guarding at look-up time also holds
    # for actions registered after this runs.
    bulk_action_registry.__class__ = GuardedBulkActionRegistry
