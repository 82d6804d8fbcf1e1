from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo federation (idempotent: existing rows are kept)."

    def handle(self, *args, **options):
        agencies = load_demo(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo federation ready: {len(agencies)} agencies; demo password "
                f"'{settings.SAMNAV_DEMO_PASSWORD}'."
            )
        )
