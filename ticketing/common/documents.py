"""Who may delete documents: only holders of the "delete document" collection permission.

Wagtail's document policy counts "delete" as "change" (and lets whoever uploaded a document
delete it): every agent could delete any ticket attachment. Here deleting needs its own
permission, which only support managers get (ticketing/desk/roles.py); every other
action is Wagtail's.
"""

from django.contrib.auth import get_user_model
from django.core.files import File
from wagtail.documents import get_document_model, get_document_model_string, get_permission_policy
from wagtail.models import Collection
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.utils.file import hash_filelike

DELETE = "delete"


class DocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == DELETE:
            return self._check_perm(user, [DELETE])
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        others = set(actions) - {DELETE}
        if DELETE in actions and self._check_perm(user, [DELETE], instance.collection):
            return True
        return bool(others) and super().user_has_any_permission_for_instance(user, others, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        others = set(actions) - {DELETE}
        instances = (
            super().instances_user_has_any_permission_for(user, others)
            if others
            else self.model._default_manager.none()
        )
        if DELETE not in actions:
            return instances
        if user.is_active and user.is_superuser:
            return self.model._default_manager.all()
        deletable = self.model._default_manager.filter(
            collection__in=self.collections_user_has_permission_for(user, DELETE)
        )
        return instances | deletable

    def users_with_any_permission(self, actions):
        others = set(actions) - {DELETE}
        users = super().users_with_any_permission(others) if others else no_users()
        if DELETE in actions:
            users = users | self._users_with_perm([DELETE])
        return users

    def users_with_any_permission_for_instance(self, actions, instance):
        others = set(actions) - {DELETE}
        users = (
            super().users_with_any_permission_for_instance(others, instance)
            if others
            else no_users()
        )
        if DELETE in actions:
            users = users | self._users_with_perm([DELETE], collection=instance.collection)
        return users


def no_users():
    return get_user_model().objects.none()


def register_document_permission_policy() -> None:
    # exact_class: wins over the policy wagtail.documents registers in its own ready().
    register_permission_policy(
        get_document_model(),
        DocumentPermissionPolicy(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )


# Ticket attachments live in their own collection: only support staff may download them (a
# view restriction that Wagtail's serve view checks) and only they may choose them. Its
# permissions are granted with the roles (ticketing/desk/roles.py).
TICKET_DOCUMENTS_COLLECTION = "Ticket attachments"


def ticket_documents_collection() -> Collection:
    """The private collection of ticket attachments, created when the roles are granted."""
    return Collection.objects.get(name=TICKET_DOCUMENTS_COLLECTION, depth=2)


def may_attach_documents(user) -> bool:
    """Whether `user` may add documents to the private collection of ticket attachments."""
    policy = get_permission_policy()
    collections = policy.collections_user_has_permission_for(user, "add")
    return collections.filter(name=TICKET_DOCUMENTS_COLLECTION, depth=2).exists()


def choosable_documents(user):
    """The documents `user` may choose (and so link to a ticket or attach to an email)."""
    return get_permission_policy().instances_user_has_any_permission_for(user, ["choose"])


def store_private_document(title: str, file: File, *, user=None):
    """Save `file` as a document in the private collection of ticket attachments.

    Its size and hash are set as Wagtail's upload views set them, before the one save.
    """
    document = get_document_model()(
        title=title,
        file=file,
        collection=ticket_documents_collection(),
        uploaded_by_user=user,
        file_size=file.size,
        file_hash=hash_filelike(file),
    )
    document.save()
    return document
