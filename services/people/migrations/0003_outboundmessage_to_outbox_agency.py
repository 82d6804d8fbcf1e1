"""The agency's outbox moved to services.outbox.agency (outbox_agency 0001): the table stays,
only Django's state forgets it here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_outboundmessage"),
        ("outbox_agency", "0001_outboundmessage_from_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboundMessage")],
            database_operations=[],
        ),
    ]
