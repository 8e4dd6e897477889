"""Roles for the linked records, and the private collection that holds ticket documents."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT_MODELS_EDIT = ["activity", "expense", "timesheet", "quote", "salesorder", "project",
                     "servicecontract"]  # fmt: skip
AGENT_MODELS_VIEW = ["service"]
MANAGER_MODELS_ALL = AGENT_MODELS_EDIT + AGENT_MODELS_VIEW
DOCUMENT_PERMISSIONS_AGENTS = ["add_document", "change_document", "choose_document"]
DOCUMENT_PERMISSIONS_MANAGERS = DOCUMENT_PERMISSIONS_AGENTS + ["delete_document"]
SUPPORT_ROLES = ["Support agents", "Support managers"]
COLLECTION_NAME = "Ticket attachments"
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def treebeard_step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
    return digits.rjust(4, "0")


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def grant(group_name, codenames):
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="ticketing", codename=codename)
            )

    grant(
        "Support agents",
        [f"{a}_{m}" for m in AGENT_MODELS_EDIT for a in ("add", "change", "view")],
    )
    grant("Support agents", [f"view_{m}" for m in AGENT_MODELS_VIEW])
    grant(
        "Support managers",
        [f"{a}_{m}" for m in MANAGER_MODELS_ALL for a in ("add", "change", "view", "delete")],
    )

    # Ticket documents live in their own collection: only support staff may download them
    # (a view restriction checked by Wagtail's serve view) and only they may choose them.
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.get(depth=1)
    collection = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    if collection is None:
        last_child = Collection.objects.filter(depth=2).order_by("-path").first()
        step = int(last_child.path[4:8], 36) + 1 if last_child else 1
        collection = Collection.objects.create(
            name=COLLECTION_NAME, path=root.path + treebeard_step(step), depth=2, numchild=0
        )
        root.numchild += 1
        root.save(update_fields=["numchild"])

    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    restriction, _ = Restriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": "groups", "password": ""}
    )
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for role, codenames in [
        ("Support agents", DOCUMENT_PERMISSIONS_AGENTS),
        ("Support managers", DOCUMENT_PERMISSIONS_MANAGERS),
    ]:
        group = Group.objects.get(name=role)
        restriction.groups.add(group)
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtaildocs", codename=codename
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0005_linked_records"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
