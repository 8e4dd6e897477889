"""Bulk "assign" and "change status" on the ticket listing."""

from urllib.parse import urlsplit

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ticketing.common.forms import AssigneeChoiceField
from ticketing.common.people import support_staff
from ticketing.tickets.lifecycle import TRANSITIONS
from ticketing.tickets.models import Ticket
from ticketing.tickets.services.bulk import apply_transition_to_many
from ticketing.tickets.services.tickets import assign_ticket
from ticketing.tickets.views.filters import TicketFilterSet


def tickets_in_listing(query: QueryDict, request) -> QuerySet:
    """The tickets the listing shows for `query`: its filters and search, not the whole table."""
    visible = Ticket.objects.visible_to(request.user)
    tickets = TicketFilterSet(query, queryset=visible, request=request).qs
    if search := query.get("q", "").strip():
        tickets = tickets.search(search)
    return tickets


class TicketBulkAction(SnippetBulkAction):
    models = [Ticket]

    # The permission policy's action, checked before the page renders by
    # ticketing.common.views.bulk_action_guard, like every bulk action's.
    permission_action = "change"

    def check_perm(self, ticket: Ticket) -> bool:
        return self.permission_policy.user_has_permission(self.request.user, self.permission_action)

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" sends id=all; Wagtail would take every ticket. Take the filtered listing.
        listing_query = QueryDict(urlsplit(self.next_url).query)
        return tickets_in_listing(listing_query, self.request).values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        # Wagtail's is a class method; the selection is read by this action, for its user, so
        # that a ticket they may not see is not found rather than named as refused.
        tickets = Ticket.objects.visible_to(self.request.user)
        return tickets.filter(pk__in=object_ids).select_related("assigned_to")


class AssignForm(forms.Form):
    assignee = AssigneeChoiceField(
        queryset=support_staff(), required=False, label=_("Assign to"), empty_label=_("Unassigned")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = support_staff()


class AssignTicketsBulkAction(TicketBulkAction):
    display_name = _("Assign")
    action_type = "assign"
    aria_label = _("Assign the selected tickets")
    template_name = "ticketing/ticket/bulk_assign.html"
    action_priority = 20
    form_class = AssignForm

    def get_execution_context(self) -> dict:
        return {"assignee": self.cleaned_form.cleaned_data["assignee"], "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, assignee=None, user=None, **kwargs):
        for ticket in objects:
            assign_ticket(ticket, assignee, by=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d ticket assigned.", "%(count)d tickets assigned.", num_parent_objects
        ) % {"count": num_parent_objects}


class BulkTransitionForm(forms.Form):
    transition = forms.ChoiceField(
        label=_("New status"),
        choices=[(name, info.label) for name, info in TRANSITIONS.items()],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransitionTicketsBulkAction(TicketBulkAction):
    display_name = _("Change status")
    action_type = "transition"
    aria_label = _("Change the status of the selected tickets")
    template_name = "ticketing/ticket/bulk_transition.html"
    action_priority = 25
    form_class = BulkTransitionForm
    permission_action = "transition"

    def get_execution_context(self) -> dict:
        return {**self.cleaned_form.cleaned_data, "user": self.request.user, "action": self}

    @classmethod
    def execute_action(cls, objects, transition, comment, user, action, **kwargs):
        # A ticket that cannot move (no solution, wrong status) is reported; the others move.
        outcome = apply_transition_to_many(objects, transition, by=user, comment=comment)
        action.refused = [f"{ticket.number}: {reason}" for ticket, reason in outcome.refused]
        return len(outcome.changed), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d ticket changed status.",
            "%(count)d tickets changed status.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        if self.refused:
            message += " " + ngettext(
                "%(count)d ticket was left as it was: %(details)s",
                "%(count)d tickets were left as they were: %(details)s",
                len(self.refused),
            ) % {"count": len(self.refused), "details": "; ".join(self.refused)}
        return message
