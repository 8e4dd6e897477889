"""Forms shared by every record: user pickers offer support staff, by name."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm

from ticketing.common.people import display_name, support_staff_or


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class StaffPickersMixin:
    """Every user picker of the form offers support staff, by name (never marketers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.ModelChoiceField)
                and field.queryset.model is get_user_model()
            ):
                field.queryset = support_staff_or(self.initial.get(name))
                field.label_from_instance = display_name


class RecordForm(StaffPickersMixin, WagtailAdminModelForm):
    """The form of every record (activity, expense, timesheet…)."""
