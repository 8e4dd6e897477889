"""Numbers get an integer twin: as text, "TT-1000000" sorts before "TT-999999".

Existing rows take the digits after their prefix; a number in another form keeps an empty
sequence (the column is nullable for such rows). The fill runs after the schema changes so that
PostgreSQL has no pending trigger events when it alters the tables.
"""

import re

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast, Substr

import ticketing.models.numbered


def prefixes() -> dict[str, str]:
    return {"ticket": settings.GUICHET_TICKET_NUMBER_PREFIX, **settings.GUICHET_NUMBER_PREFIXES}


def fill_sequences(apps, schema_editor):
    for model_name, prefix in prefixes().items():  # each model is named like its sequence
        model = apps.get_model("ticketing", model_name)
        model.objects.filter(number__regex=rf"^{re.escape(prefix)}[0-9]+$").update(
            sequence=Cast(Substr("number", len(prefix) + 1), models.BigIntegerField())
        )


def sequence_field(verbose_name: str):
    return ticketing.models.numbered.NumberSequenceField(verbose_name=verbose_name)


class Migration(migrations.Migration):
    dependencies = [("ticketing", "0009_ticket_faq_page")]

    operations = [
        migrations.AddField("ticket", "sequence", sequence_field("ticket no. (numeric)")),
        migrations.AddField("quote", "sequence", sequence_field("number (numeric)")),
        migrations.AddField("salesorder", "sequence", sequence_field("number (numeric)")),
        migrations.AddField("servicecontract", "sequence", sequence_field("number (numeric)")),
        migrations.RemoveIndex(model_name="ticket", name="ticket_status_number_idx"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["status", "sequence"], name="ticket_status_sequence_idx"),
        ),
        migrations.AlterModelOptions(
            name="ticket",
            options={
                "ordering": ["-sequence"],
                "permissions": [("transition_ticket", "Can change the status of a ticket")],
                "verbose_name": "ticket",
                "verbose_name_plural": "tickets",
            },
        ),
        migrations.AlterModelOptions(
            name="quote",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "quote",
                "verbose_name_plural": "quotes",
            },
        ),  # fmt: skip
        migrations.AlterModelOptions(
            name="salesorder",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "sales order",
                "verbose_name_plural": "sales orders",
            },
        ),  # fmt: skip
        migrations.AlterModelOptions(
            name="servicecontract",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "service contract",
                "verbose_name_plural": "service contracts",
            },
        ),  # fmt: skip
        migrations.RunPython(fill_sequences, migrations.RunPython.noop),
    ]
