"""The snippet viewsets every record's admin module is made of."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from ticketing.common.edit_conflicts import EditConflictViewMixin, with_edit_conflict_check
from ticketing.common.forms import RecordForm
from ticketing.common.versioned import Versioned
from ticketing.common.views.choosers import PermissionCheckedChooserViewSet
from ticketing.common.views.inspect import RecordInspectView
from ticketing.common.views.listing import GuichetIndexView


class GuichetSnippetViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    index_view_class = GuichetIndexView
    copy_view_enabled = False
    # Foreign keys the listing shows: loaded with the rows, so that its queries stay constant.
    listing_related: tuple[str, ...] = ()

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        # A bound copy of the viewset's own: user pickers of every record offer staff by name.
        if edit_handler.base_form_class is None:
            edit_handler.base_form_class = RecordForm
        return edit_handler

    @property
    def breadcrumbs_items(self) -> list[dict]:
        # Wagtail's "Home" is translated at startup, in English: a lazy one is read per request.
        home, *others = super().breadcrumbs_items
        return [{**home, "label": _("Home")}, *others]

    def get_queryset(self, request):
        if self.listing_related:
            return self.model.objects.select_related(*self.listing_related)
        return None  # Wagtail's default queryset


class RecordEditView(EditConflictViewMixin, EditView):
    pass


class VersionedSnippetViewSet(GuichetSnippetViewSet):
    """An editable record: its edit form refuses to overwrite a save made since it was loaded."""

    edit_view_class = RecordEditView

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        if issubclass(self.model, Versioned):
            base = edit_handler.base_form_class or getattr(
                self.model, "base_form_class", WagtailAdminModelForm
            )
            edit_handler.base_form_class = with_edit_conflict_check(base)
        return edit_handler


class RecordViewSet(VersionedSnippetViewSet):
    """A record's admin module; its detail page lists the tickets it is linked to."""

    inspect_view_enabled = True
    inspect_view_class = RecordInspectView
