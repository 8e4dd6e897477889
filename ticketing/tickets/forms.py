from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ticketing.common.edit_conflicts import EditConflictFormMixin
from ticketing.common.forms import AssigneeChoiceField
from ticketing.common.people import support_staff_or
from ticketing.tickets.models import Ticket, TicketCategory
from ticketing.tickets.related_lists import select_list_for_model
from ticketing.tickets.services.linking import set_links


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


class VisibleTicketFieldsMixin:
    """A record's ticket fields offer only the tickets its editor may see (visible_to).

    What the record already points at stays: a ticket foreign key may be saved unchanged, and
    links to tickets the editor cannot see are kept, unseen, when the others change.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Ticket.objects.visible_to(self.for_user)
        self.unseen_links = {}
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset.model is not Ticket:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                if self.instance.pk:
                    linked = getattr(self.instance, name).exclude(pk__in=visible)
                    self.unseen_links[name] = list(linked.values_list("pk", flat=True))
                field.queryset = visible
            elif current := self.initial.get(name):
                field.queryset = Ticket.objects.filter(Q(pk__in=visible) | Q(pk=current))
            else:
                field.queryset = visible

    def clean(self):
        cleaned_data = super().clean()
        for name, unseen in self.unseen_links.items():
            if unseen and name in cleaned_data:
                chosen = cleaned_data[name]
                cleaned_data[name] = Ticket.objects.filter(Q(pk__in=chosen) | Q(pk__in=unseen))
        return cleaned_data

    def _save_m2m(self) -> None:
        # The record's own "tickets" field links and unlinks on the linking road, so that each
        # ticket's timeline and the event listeners hear of it as from the ticket's page.
        related = select_list_for_model(type(self.instance))
        if related is None or "tickets" not in self.cleaned_data:
            return super()._save_m2m()
        tickets = self.cleaned_data.pop("tickets")
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data["tickets"] = tickets
        set_links(self.instance, related, tickets, by=self.for_user)


def with_visible_tickets(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class`, or a subclass of it whose ticket fields offer only the visible tickets."""
    if issubclass(form_class, VisibleTicketFieldsMixin):
        return form_class
    return type(f"Ticketed{form_class.__name__}", (VisibleTicketFieldsMixin, form_class), {})


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: shown on the ticket's timeline."),
    )
