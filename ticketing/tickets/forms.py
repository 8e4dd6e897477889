from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ticketing.common.edit_conflicts import EditConflictFormMixin
from ticketing.common.forms import AssigneeChoiceField
from ticketing.common.people import support_staff_or
from ticketing.tickets.models import TicketCategory


class TicketForm(EditConflictFormMixin, WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # S11: the solution is written while handling the ticket, not when recording it.
            self.fields.pop("solution", None)
        if "assigned_to" in self.fields:
            field = self.fields["assigned_to"]
            self.fields["assigned_to"] = AssigneeChoiceField(
                queryset=support_staff_or(self.instance.assigned_to_id),
                required=False,
                label=field.label,
                widget=forms.Select,
                empty_label=_("Unassigned"),
            )
        if "category" in self.fields:
            current = self.instance.category_id
            self.fields["category"].queryset = TicketCategory.objects.filter(
                active=True
            ) | TicketCategory.objects.filter(pk=current)

    def clean(self):
        cleaned_data = super().clean()
        contact = cleaned_data.get("contact")
        if contact and contact.account_id and not cleaned_data.get("account"):
            # S4: a contact brings their account along when none is chosen.
            cleaned_data["account"] = contact.account
        return cleaned_data


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: shown on the ticket's timeline."),
    )
