"""The index view of every Guichet listing: numbered records sort and search as numbers."""

from django.utils.functional import cached_property
from wagtail.snippets.views.snippets import IndexView

from ticketing.common.search import has_prefix, whole_number
from ticketing.common.views.exports import SafeExportMixin
from ticketing.common.views.labels import labels_for

NUMBER_ORDERINGS = {"number": "sequence", "-number": "-sequence"}


class NumberedListingMixin:
    """Sorting or searching by number uses the number's integer (`sequence`) and its index.

    As text, "TT-1000000" sorts before "TT-999999". `?ordering=number` keeps working.
    """

    @cached_property
    def is_numbered(self) -> bool:
        return any(field.name == "sequence" for field in self.model._meta.concrete_fields)

    @cached_property
    def columns(self) -> list:
        columns = super().columns
        if not self.is_numbered:
            return columns
        declared = {id(item) for item in self.list_display}
        for column in columns:
            # Columns built here from field names are this view's own; declared Column
            # instances are shared by every request and name their own sort_key.
            if column.sort_key == "number" and id(column) not in declared:
                column.sort_key = "sequence"
        return columns

    def get_ordering(self):
        requested = self.request.GET.get("ordering")
        if self.is_numbered and requested in NUMBER_ORDERINGS:
            return NUMBER_ORDERINGS[requested]
        return super().get_ordering()

    def search_queryset(self, queryset):
        if self.is_numbered and self.is_searching:
            query = self.search_query.strip()
            prefix = self.model.number_prefix()
            sequence = whole_number(query, prefix)
            if sequence is not None and has_prefix(query, prefix):
                return queryset.filter(sequence=sequence)
        return super().search_queryset(queryset)


class GuichetIndexView(SafeExportMixin, NumberedListingMixin, IndexView):
    @cached_property
    def add_item_label(self) -> str:
        return labels_for(self.model).add
