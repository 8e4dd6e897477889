"""People as the admin shows and picks them: by name, support staff only."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from wagtail.admin.utils import get_user_display_name
from wagtail.permissions import policy_registry

BY_NAME = ("first_name", "last_name", "username")
# Which permission makes someone support staff: the tickets app says (define_support_staff),
# since this app knows no ticket.
_SUPPORT_PERMISSION: dict[str, object] = {}


def define_support_staff(model: type[Model], action: str) -> None:
    """Support staff are the users whom `model`'s permission policy grants `action`."""
    _SUPPORT_PERMISSION.update(model=model, action=action)


def support_staff() -> QuerySet:
    """Active users who can handle tickets: the people a ticket can be assigned to."""
    if not _SUPPORT_PERMISSION:
        raise ImproperlyConfigured("No app has defined support staff (define_support_staff).")
    policy = policy_registry.get_by_type(_SUPPORT_PERMISSION["model"])
    return policy.users_with_permission(_SUPPORT_PERMISSION["action"]).order_by(*BY_NAME)


def support_staff_or(user_id: int | None) -> QuerySet:
    """Support staff, plus the user `user_id`: a record keeps the person it names (who may
    have left the team since), and can be saved unchanged."""
    if not user_id:
        return support_staff()
    people = Q(pk__in=support_staff().values("pk")) | Q(pk=user_id)
    return get_user_model().objects.filter(people).order_by(*BY_NAME)


# How people are shown, as Wagtail's admin shows them: full name, else username ("" for None).
display_name = get_user_display_name
