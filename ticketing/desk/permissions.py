"""Who sees what on the desk: support staff their queue, managers the team's backlog too."""

from wagtail.permissions import policy_registry

from ticketing.tickets.models import Ticket

TEAM_BACKLOG = ("desk", "view_team_backlog")


def is_support_staff(user) -> bool:
    return policy_registry.get_by_type(Ticket).user_has_permission(user, "view")


def sees_team_backlog(user) -> bool:
    return is_support_staff(user) and user.has_perm(".".join(TEAM_BACKLOG))
