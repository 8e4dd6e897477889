"""Trigram indexes so that the listing's search (icontains) does not scan every ticket.

PostgreSQL only: Django's icontains there is ``UPPER(col::text) LIKE UPPER('%…%')``, which a GIN
trigram index on the same expression serves. SQLite has no such index and scans quickly enough.
Where the role may not create the pg_trgm extension, the search still works, only slower.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ["number", "title", "description"]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS ticket_{column}_trgm ON ticketing_ticket "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS ticket_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("ticketing", "0003_ticket_status_number_idx")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
