"""Edit conflicts in the admin: the edit form carries the version it loaded, the view refuses
a save from an older one (see `ticketing.models.versioned`) and gives back what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ticketing.common.versioned import EditConflict

EDIT_CONFLICT_MESSAGE = _(
    "Someone else saved this %(model_name)s while you were editing it, so your changes were "
    "not saved. Copy what you typed, reload the page to see their changes, then apply yours "
    "again."
)
OUT_OF_DATE_MESSAGE = _("This form is out of date. Reload the page and make your changes again.")


class EditConflictFormMixin:
    """A hidden `loaded_version` on edit forms; the record's save() checks it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            # Not a panel: Wagtail renders form fields that no panel claims as they are.
            self.fields["loaded_version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                required=False,
                initial=self.instance.version,
            )

    def clean(self):
        cleaned_data = super().clean()
        if "loaded_version" not in self.fields:
            return cleaned_data
        if cleaned_data.get("loaded_version") is None:
            # A hidden field's own error would not show: say it at the top of the form.
            raise forms.ValidationError(OUT_OF_DATE_MESSAGE)
        self.instance.version = cleaned_data["loaded_version"]
        return cleaned_data


class EditConflictViewMixin:
    """For Wagtail edit views: a save refused as out of date re-renders the form as typed."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EditConflict:
            return self.edit_conflict(form)

    def edit_conflict(self, form):
        # One message at the top of the page. Not also a form error: Wagtail would list the
        # form's errors under the same message and show it twice.
        self.produced_error_code = "edit_conflict"
        self.produced_error_message = EDIT_CONFLICT_MESSAGE % {
            "model_name": self.model._meta.verbose_name
        }
        return self.form_invalid(form)


def with_edit_conflict_check(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class`, or a subclass of it that carries the loaded version."""
    if issubclass(form_class, EditConflictFormMixin):
        return form_class
    return type(f"Versioned{form_class.__name__}", (EditConflictFormMixin, form_class), {})
