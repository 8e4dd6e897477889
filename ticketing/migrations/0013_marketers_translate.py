"""Marketers translate FAQ pages with Wagtail's Translate action (simple_translation)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATORS = ["Marketers"]


def grant_translation(apps, schema_editor):
    app_config = apps.get_app_config("simple_translation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.add(permission)


def revoke_translation(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="simple_translation", codename="submit_translation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0012_inbound_limits"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_translation, revoke_translation)]
