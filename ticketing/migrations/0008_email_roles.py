"""Roles for email: agents read emails and templates; managers also keep the templates."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Support agents": ["view_emailmessage", "view_emailtemplate"],
    "Support managers": [
        "view_emailmessage",
        "delete_emailmessage",
        "view_emailtemplate",
        "add_emailtemplate",
        "change_emailtemplate",
        "delete_emailtemplate",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.get(name=role)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="ticketing", codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("ticketing", "0007_email")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
