"""Saving the ticket listing's current filters and search as a named view."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ticketing.desk.models import SavedView
from ticketing.tickets.models import Ticket
from ticketing.tickets.views.filters import TicketFilterSet

# What a saved view may keep: the listing's filters, its search and its sort order. Paging,
# exports and anything else a hand-made URL carries are dropped.
QUERY_KEYS = frozenset({*TicketFilterSet.base_filters, "q", "ordering"})
MAX_VALUE_LENGTH = 200


def clean_listing_query(raw: str) -> str:
    """`raw` as a query string of known keys only, re-encoded; raises ValidationError if a
    value is not one the listing's filters accept."""
    given = QueryDict(raw.lstrip("?"), mutable=False)
    kept = QueryDict(mutable=True)
    for key in sorted(QUERY_KEYS & set(given)):
        values = [value for value in given.getlist(key) if value.strip()]
        if any(len(value) > MAX_VALUE_LENGTH for value in values):
            raise forms.ValidationError(_("A filter value is too long."))
        if values:
            kept.setlist(key, values)
    filters = TicketFilterSet(data=kept, queryset=Ticket.objects.none())
    bad = set(filters.form.errors) if not filters.form.is_valid() else set()
    if bad:
        raise forms.ValidationError(
            _("These filters are not valid: %(names)s."), params={"names": ", ".join(sorted(bad))}
        )
    return kept.urlencode()


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name", "shared", "query"]
        widgets = {"query": forms.HiddenInput}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the view a name."))
        return name

    def clean_query(self) -> str:
        return clean_listing_query(self.cleaned_data.get("query") or "")
