"""The bulk-action buttons of a listing, without the actions the user may not run."""

from django import template
from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets import Button, ButtonWithDropdown
from wagtail.admin.widgets.button import ListingButton

from ticketing.common.views.bulk_action_guard import user_may_run

register = template.Library()

SHOWN_INLINE = 4  # as Wagtail's bulk_action_choices: the rest go under "More"


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def permitted_bulk_action_choices(context, app_label: str, model_name: str) -> dict:
    """Wagtail's `bulk_action_choices`, filtered by the same rule as the bulk-action pages."""
    user = context["request"].user
    model = apps.get_model(app_label, model_name)
    actions = sorted(
        (
            action
            for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
            if user_may_run(action, user, model)
        ),
        key=lambda action: action.action_priority,
    )

    def url(action) -> str:
        # No `next`: Wagtail's script adds it, as the listing's filters change.
        return reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])

    buttons = [
        ListingButton(
            action.display_name,
            url(action),
            attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )
        for action in actions[:SHOWN_INLINE]
    ]
    if more := actions[SHOWN_INLINE:]:
        buttons.append(
            ButtonWithDropdown(
                label=_("More"),
                attrs={"title": _("More bulk actions")},
                classname="button button-secondary button-small",
                buttons=[
                    Button(
                        label=action.display_name,
                        url=url(action),
                        attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                        priority=action.action_priority,
                    )
                    for action in more
                ],
            )
        )
    return {"buttons": buttons}
