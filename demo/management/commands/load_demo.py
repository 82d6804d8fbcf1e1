from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo federation (idempotent: existing rows are kept)."

    def handle(self, *args, **options):
        agencies = load_demo(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo federation ready: %(count)d agencies; demo password '%(password)s'.")
                % {"count": len(agencies), "password": settings.SAMNAV_DEMO_PASSWORD}
            )
        )
