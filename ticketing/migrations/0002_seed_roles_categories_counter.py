from django.contrib.auth.management import create_permissions
from django.db import migrations

COUNTER = "ticket"

CATEGORIES = [
    ("General question", "Question générale"),
    ("Technical problem", "Problème technique"),
    ("Billing", "Facturation"),
    ("Delivery", "Livraison"),
    ("Product defect", "Défaut produit"),
    ("Account access", "Accès au compte"),
    ("Feature request", "Demande d'évolution"),
    ("Complaint", "Réclamation"),
]

PARTY_MODELS = ["account", "contact", "vendor", "asset"]

AGENT_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("ticketing", "add_ticket"),
    ("ticketing", "change_ticket"),
    ("ticketing", "view_ticket"),
    ("ticketing", "transition_ticket"),
    ("ticketing", "view_ticketcategory"),
    ("ticketing", "view_product"),
] + [("ticketing", f"{action}_{model}") for model in PARTY_MODELS for action in ("add", "change", "view")]

MANAGER_PERMISSIONS = AGENT_PERMISSIONS + [
    ("ticketing", "delete_ticket"),
    ("ticketing", "add_ticketcategory"),
    ("ticketing", "change_ticketcategory"),
    ("ticketing", "delete_ticketcategory"),
    ("ticketing", "add_product"),
    ("ticketing", "change_product"),
    ("ticketing", "delete_product"),
] + [("ticketing", f"delete_{model}") for model in PARTY_MODELS]

# Marketers reach the admin for the FAQ; they get no permission on tickets or their records.
MARKETER_PERMISSIONS = [("wagtailadmin", "access_admin")]

ROLES = {
    "Support agents": AGENT_PERMISSIONS,
    "Support managers": MANAGER_PERMISSIONS,
    "Marketers": MARKETER_PERMISSIONS,
}


def seed(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    TicketCategory = apps.get_model("ticketing", "TicketCategory")
    for name, name_fr in CATEGORIES:
        TicketCategory.objects.get_or_create(name=name, defaults={"name_fr": name_fr})

    apps.get_model("ticketing", "TicketCounter").objects.get_or_create(name=COUNTER)


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
