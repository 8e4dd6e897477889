"""Who sees what on the desk: support staff their queue, managers the team's backlog too.

The desk's one permission that is not a model action ("view_team_backlog", declared on
SavedView's Meta) is asked through SavedView's permission policy, like every other.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from ticketing.desk.models import SavedView
from ticketing.tickets.models import Ticket

BACKLOG_ACTION = "view_team_backlog"
TEAM_BACKLOG = ("desk", BACKLOG_ACTION)  # for the roles: (app label, codename)


class SavedViewPermissionPolicy(ModelPermissionPolicy):
    def _get_permission_codename(self, action: str) -> str:
        # The backlog's codename is the action itself, not "<action>_savedview".
        return action if action == BACKLOG_ACTION else super()._get_permission_codename(action)


def register_permission_policies() -> None:
    register_permission_policy(SavedView, SavedViewPermissionPolicy(SavedView))


def is_support_staff(user) -> bool:
    return policy_registry.get_by_type(Ticket).user_has_permission(user, "view")


def sees_team_backlog(user) -> bool:
    policy = policy_registry.get_by_type(SavedView)
    return is_support_staff(user) and policy.user_has_permission(user, BACKLOG_ACTION)
