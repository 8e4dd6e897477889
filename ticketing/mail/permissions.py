"""Who may do what with emails: Wagtail's model permissions, and the quarantine for managers.

A quarantined message sits on no ticket and may come from anyone: reading, reprocessing and
deleting it need the "delete email" permission, which only support managers hold
(ticketing/desk/roles.py). Every other email is Wagtail's model permissions as usual.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from ticketing.mail.choices import EmailStatus

QUARANTINE_ACTION = "delete"


class EmailPermissionPolicy(ModelPermissionPolicy):
    def can_handle_quarantine(self, user) -> bool:
        return self.user_has_permission(user, QUARANTINE_ACTION)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if instance.status == EmailStatus.QUARANTINED:
            return self.can_handle_quarantine(user)
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if instance.status == EmailStatus.QUARANTINED:
            return self.can_handle_quarantine(user)
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if self.can_handle_quarantine(user):
            return instances
        return instances.exclude(status=EmailStatus.QUARANTINED)


def can_reprocess(email, user) -> bool:
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(email))
    return email.status == EmailStatus.QUARANTINED and policy.can_handle_quarantine(user)
