"""The agency's outbox moved here from the people app: the same table
(people_outboundmessage) and rows; only Django's state changes (people 0003 drops it there)."""

import uuid

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0002_outboundmessage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboundMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "channel",
                            models.CharField(
                                choices=[("email", "E-mail"), ("sms", "SMS")], max_length=8
                            ),
                        ),
                        ("recipients", models.JSONField(default=list)),
                        ("from_email", models.CharField(blank=True, max_length=254)),
                        ("subject", models.CharField(blank=True, max_length=998)),
                        ("body", models.TextField()),
                        ("headers", models.JSONField(default=dict)),
                        (
                            "state",
                            models.CharField(
                                choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
                                default="pending",
                                max_length=8,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "outgoing message",
                        "verbose_name_plural": "outgoing messages",
                        "ordering": ["pk"],
                        "abstract": False,
                        "db_table": "people_outboundmessage",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
