"""Who may do what with tickets: the permission policy every ticket view asks.

Registered in TicketsConfig.ready(), before anything asks Wagtail's registry for it (the
registry would otherwise make a plain policy on the first question and refuse ours later).
Model permissions are Django's (`view`, `add`, `change`, `delete`, `transition`); which rows
they cover is `Ticket.objects.visible_to(user)`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ticketing.common.people import define_support_staff
from ticketing.tickets.models import Ticket, TicketCategory


class TicketPermissionPolicy(ModelPermissionPolicy):
    def users_with_any_permission(self, actions):
        # Wagtail's finds the permissions by a content type it remembers for good; after a test
        # database flush that row has another id. By app and model name, the query stays right.
        permissions = Permission.objects.filter(
            content_type__app_label=self.app_label,
            content_type__model=self.model_name,
            codename__in=self._get_permission_codenames(actions),
        )
        holders = Q(is_superuser=True) | Q(user_permissions__in=permissions)
        holders |= Q(groups__permissions__in=permissions)
        return get_user_model().objects.filter(holders, is_active=True).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        visible = self.instances_user_has_any_permission_for(user, actions)
        return visible.filter(pk=instance.pk).exists()


def register_permission_policies() -> None:
    register_permission_policy(Ticket, TicketPermissionPolicy(Ticket))
    register_permission_policy(TicketCategory)
    # The people tickets are assigned to: whoever may change a ticket's status.
    define_support_staff(Ticket, "transition")
