"""The ticket categories a new desk starts with, and trigram indexes for the listing's search.

Trigram indexes: PostgreSQL only. Django's icontains there is ``UPPER(col::text) LIKE
UPPER('%…%')``, which a GIN trigram index on the same expression serves. SQLite has no such
index and scans quickly enough. Where the role may not create the pg_trgm extension, the search
still works, only slower.
"""

from django.db import DatabaseError, migrations, transaction

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
SEARCHED_COLUMNS = ["number", "title", "description"]


def create_categories(apps, schema_editor):
    TicketCategory = apps.get_model("tickets", "TicketCategory")
    for name, name_fr in CATEGORIES:
        TicketCategory.objects.get_or_create(name=name, defaults={"name_fr": name_fr})


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS ticket_{column}_trgm ON tickets_ticket "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS ticket_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.RunPython(create_categories, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
