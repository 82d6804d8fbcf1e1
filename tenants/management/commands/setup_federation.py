from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tenants.bootstrap import ensure_federation


class Command(BaseCommand):
    help = "Create central IT's row and domain and the migrated template schema, if missing."

    def handle(self, *args, **options):
        central, template = ensure_federation()
        self.stdout.write(
            _("Central IT on schema '%(central)s', template '%(template)s'.")
            % {"central": central.schema_name, "template": template.schema_name}
        )
