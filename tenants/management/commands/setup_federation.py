from django.core.management.base import BaseCommand

from tenants.bootstrap import ensure_federation


class Command(BaseCommand):
    help = "Create central IT's row and domain and the migrated template schema, if missing."

    def handle(self, *args, **options):
        central, template = ensure_federation()
        self.stdout.write(
            f"central IT on '{central.schema_name}', template '{template.schema_name}'"
        )
