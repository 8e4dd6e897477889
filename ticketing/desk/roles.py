"""The three roles, declared once: what Support agents, Support managers and Marketers may do.

Granted after every `migrate` (and after a test database is flushed) by `grant_roles`, which
only adds what is missing: a permission an administrator gave a role in Wagtail's group editor
stays. The README's Roles table says the same in words.
"""

from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
)

from faq.models import FAQCategory, FAQIndexPage
from ticketing.common.documents import TICKET_DOCUMENTS_COLLECTION
from ticketing.desk.permissions import TEAM_BACKLOG
from ticketing.mail.models import EmailMessage, EmailTemplate
from ticketing.parties.models import Account, Asset, Contact, Product, Vendor
from ticketing.records.models import (
    Activity,
    Expense,
    Project,
    Quote,
    SalesOrder,
    Service,
    ServiceContract,
    Timesheet,
)
from ticketing.tickets.models import Ticket, TicketCategory

AGENTS, MANAGERS, MARKETERS = "Support agents", "Support managers", "Marketers"

VIEW = ["view"]
EDIT = ["add", "change", "view"]
ALL = ["add", "change", "view", "delete"]
PARTIES = [Account, Contact, Vendor, Asset]
RECORDS = [Activity, Expense, Timesheet, Quote, SalesOrder, Project, ServiceContract]


@dataclass(frozen=True)
class Role:
    # Model permissions: {model: actions}, actions as Django names them ("add", "view"…).
    models: dict = field(default_factory=dict)
    # Other permissions, as (app label, codename).
    extra: tuple = (("wagtailadmin", "access_admin"),)
    # On the private "Ticket attachments" collection (also lets the role download them).
    documents: tuple = ()
    # On every FAQ index page (each language), so on every FAQ answer under it.
    faq_pages: tuple = ()
    # Approves what agents submit in Wagtail's default moderation workflow.
    moderates: bool = False


AGENT_MODELS = {
    Ticket: ["add", "change", "view", "transition"],
    TicketCategory: VIEW,
    Product: VIEW,
    Service: VIEW,
    EmailMessage: VIEW,
    EmailTemplate: VIEW,
    **dict.fromkeys(PARTIES, EDIT),
    **dict.fromkeys(RECORDS, EDIT),
}

ROLES = {
    AGENTS: Role(
        models=AGENT_MODELS,
        documents=("add_document", "change_document", "choose_document"),
        # Agents write answers from tickets; a marketer or a manager publishes them.
        faq_pages=("add_page", "change_page"),
    ),
    MANAGERS: Role(
        models={
            **AGENT_MODELS,
            Ticket: ["add", "change", "view", "delete", "transition"],
            EmailMessage: ["view", "delete"],
            **dict.fromkeys([TicketCategory, Product, Service, EmailTemplate], ALL),
            **dict.fromkeys(PARTIES, ALL),
            **dict.fromkeys(RECORDS, ALL),
        },
        documents=("add_document", "change_document", "choose_document", "delete_document"),
        faq_pages=("add_page", "change_page", "publish_page"),
        moderates=True,
        extra=(("wagtailadmin", "access_admin"), TEAM_BACKLOG),
    ),
    # Marketers reach the admin for the FAQ; they get no permission on tickets or their records.
    MARKETERS: Role(
        models={FAQCategory: ALL},
        extra=(("wagtailadmin", "access_admin"), ("simple_translation", "submit_translation")),
        faq_pages=("add_page", "change_page", "publish_page"),
        moderates=True,
    ),
}


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def model_permissions(model, actions: list[str]) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def ensure_ticket_documents_collection() -> Collection:
    """The private collection of ticket attachments: made once, under the root."""
    collection = Collection.objects.filter(name=TICKET_DOCUMENTS_COLLECTION, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=TICKET_DOCUMENTS_COLLECTION)
    return collection


def grant_roles(sender=None, using: str = "default", **kwargs) -> None:
    # Permissions of apps migrated after this one are only created at the end of migrate.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    collection = ensure_ticket_documents_collection()
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": "groups", "password": ""}
    )
    faq_indexes = list(FAQIndexPage.objects.all())
    moderation = list(GroupApprovalTask.objects.filter(name="Moderators approval"))
    document_type = ContentType.objects.get_for_model(get_document_model())
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        granted = [
            p for model, actions in role.models.items() for p in model_permissions(model, actions)
        ]
        granted += [permission(app_label, codename) for app_label, codename in role.extra]
        group.permissions.add(*granted)
        if role.documents:
            restriction.groups.add(group)
        for codename in role.documents:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(content_type=document_type, codename=codename),
            )
        for page in faq_indexes:
            for codename in role.faq_pages:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission("wagtailcore", codename)
                )
        if role.moderates:
            for task in moderation:
                task.groups.add(group)
