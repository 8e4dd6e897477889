"""One timeline per ticket: the status changes already recorded become its first rows."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_status_changes(apps, schema_editor):
    TicketStatusChange = apps.get_model("tickets", "TicketStatusChange")
    TimelineEntry = apps.get_model("tickets", "TimelineEntry")
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            ticket_id=change.ticket_id,
            kind="status",
            visibility="public",
            actor_id=change.changed_by_id,
            created_at=change.changed_at,
            data={
                "transition": change.transition,
                "from": change.from_status,
                "to": change.to_status,
                "comment": change.comment,
            },
        )
        for change in TicketStatusChange.objects.order_by("changed_at", "pk").iterator()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0002_categories_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TimelineEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('created', 'Creation'), ('status', 'Status change'), ('fields', 'Field change'), ('link', 'Linked'), ('unlink', 'Unlinked'), ('email_in', 'Email received'), ('email_out', 'Email sent')], max_length=20, verbose_name='kind')),
                ('visibility', models.CharField(choices=[('internal', 'Internal'), ('public', 'Public')], default='internal', max_length=10, verbose_name='visibility')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('data', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='data')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='timeline', to='tickets.ticket', verbose_name='ticket')),
            ],
            options={
                'verbose_name': 'timeline entry',
                'verbose_name_plural': 'timeline entries',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.RunPython(copy_status_changes, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='TicketStatusChange',
        ),
        migrations.AddIndex(
            model_name='timelineentry',
            index=models.Index(fields=['ticket', 'created_at'], name='timeline_ticket_time_idx'),
        ),
    ]
