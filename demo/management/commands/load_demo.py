from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.loader import COUNTY_BOARDS, load_demo


class Command(BaseCommand):
    help = "Load the demo federation (idempotent: existing rows are kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agencies",
            help=_("Only these county boards, comma-separated (default: all 21)."),
            type=lambda value: [slug.strip() for slug in value.split(",") if slug.strip()],
        )

    def handle(self, *args, **options):
        slugs = options.get("agencies")
        unknown = sorted(set(slugs or []) - {slug for slug, *_ in COUNTY_BOARDS})
        if unknown:
            raise CommandError(_("Unknown county board: %(slugs)s") % {"slugs": ", ".join(unknown)})
        agencies = load_demo(stdout=self.stdout, slugs=slugs)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo federation ready: %(count)d agencies; demo password '%(password)s'.")
                % {"count": len(agencies), "password": settings.SAMNAV_DEMO_PASSWORD}
            )
        )
