"""People as the admin shows and picks them: by name, support staff only."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.admin.utils import get_user_display_name

# Support staff are the people who may change a ticket's status: agents and managers.
SUPPORT_PERMISSION = "tickets.transition_ticket"
BY_NAME = ("first_name", "last_name", "username")


def support_staff() -> QuerySet:
    """Active users who can handle tickets: the people a ticket can be assigned to."""
    app_label, codename = SUPPORT_PERMISSION.split(".")
    can_handle = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | can_handle).distinct().order_by(*BY_NAME)


def support_staff_or(user_id: int | None) -> QuerySet:
    """Support staff, plus the user `user_id`: a record keeps the person it names (who may
    have left the team since), and can be saved unchanged."""
    if not user_id:
        return support_staff()
    people = Q(pk__in=support_staff().values("pk")) | Q(pk=user_id)
    return get_user_model().objects.filter(people).order_by(*BY_NAME)


# How people are shown, as Wagtail's admin shows them: full name, else username ("" for None).
display_name = get_user_display_name
