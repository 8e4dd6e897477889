"""Snippet choosers that, unlike Wagtail's, refuse users who may not see the model at all."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser


class ModelPermissionRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        model = getattr(self, "model_class", None) or self.model
        policy = policy_registry.get_by_type(model)
        if not policy.user_has_any_permission(request.user, ["view", "add", "change", "delete"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BadIdNotFoundMixin:
    """An id that cannot be one ("abc", "1.5") is not found, rather than a server error."""

    def get_object(self, pk):
        try:
            return super().get_object(pk)
        except (ValueError, ValidationError) as error:
            raise Http404 from error

    def get_objects(self, pks):
        try:
            return super().get_objects(pks)
        except (ValueError, ValidationError) as error:
            raise Http404 from error


def _guarded(view_class: type) -> type:
    return type(
        view_class.__name__, (ModelPermissionRequiredMixin, BadIdNotFoundMixin, view_class), {}
    )


class PermissionCheckedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = _guarded(chooser.ChooseView)
    choose_results_view_class = _guarded(chooser.ChooseResultsView)
    chosen_view_class = _guarded(chooser.SnippetChosenView)
    chosen_multiple_view_class = _guarded(chooser.SnippetChosenMultipleView)
    create_view_class = _guarded(chooser.SnippetCreateView)
