"""Snippet choosers that, unlike Wagtail's, refuse users who may not see the model at all."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser
from wagtail.snippets.widgets import AdminSnippetChooser

from ticketing.common.views.labels import labels_for

ANY_ACTION = ["view", "add", "change", "delete"]


class ModelPermissionRequiredMixin:
    """Refuse a user without any permission on the model; offer only the rows its permission
    policy gives them (every ticket chooser lists `Ticket.objects.visible_to(user)`)."""

    @property
    def chooser_model(self):
        return getattr(self, "model_class", None) or self.model

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.chooser_model)
        if not policy.user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def choosable_objects(self):
        policy = policy_registry.get_by_type(self.chooser_model)
        return policy.instances_user_has_any_permission_for(self.request.user, ANY_ACTION)

    def get_object_list(self):  # the choose and results views
        return self.choosable_objects()

    def get_object(self, pk):  # the chosen views
        return self.choosable_objects().get(pk=pk)

    def get_objects(self, pks):
        return self.choosable_objects().filter(pk__in=pks)


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
    # No subtitle: the title already names the model ("Choose a ticket", not "… ticket ticket").
    attrs = {"page_subtitle": None}
    return type(
        view_class.__name__, (BadIdNotFoundMixin, ModelPermissionRequiredMixin, view_class), attrs
    )


class LocalizedSnippetChooser(AdminSnippetChooser):
    """Wagtail's chooser widget, with labels read in the user's language when shown.

    Wagtail formats "Choose %(object)s" when the form class is built, once, in whatever language
    is active then, and French needs the noun's article ("Choisir un compte").
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = labels_for(self.model)
        self.choose_one_text = labels.choose
        self.choose_another_text = labels.choose_another
        self.link_to_chosen_text = _("Edit")


class PermissionCheckedChooserViewSet(chooser.SnippetChooserViewSet):
    base_widget_class = LocalizedSnippetChooser
    choose_view_class = _guarded(chooser.ChooseView)
    choose_results_view_class = _guarded(chooser.ChooseResultsView)
    chosen_view_class = _guarded(chooser.SnippetChosenView)
    chosen_multiple_view_class = _guarded(chooser.SnippetChosenMultipleView)
    create_view_class = _guarded(chooser.SnippetCreateView)
    # Wagtail's own defaults are translated once at import time, in English: lazy ones instead.
    edit_item_text = _("Edit")
    search_tab_label = _("Search")
    create_action_label = _("Create")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = labels_for(self.model)
        self.choose_one_text = self.page_title = labels.choose
        self.choose_another_text = labels.choose_another
