"""`make run`: migrate, load the demo federation, print the addresses, serve."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.demo import COUNTY_BOARDS


class Command(BaseCommand):
    help = "Prepare the database and demo data, then run the development server."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, **o):
        port = o["addrport"].rsplit(":", 1)[-1]
        if os.environ.get("RUN_MAIN") != "true":  # the autoreloader's child skips the setup
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
            call_command("setup_federation", verbosity=0)
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
            if not o["no_demo"] and settings.SAMNAV_DEMO_ENABLED:
                call_command("load_demo")
                self._banner(port)
        call_command("runserver", o["addrport"], use_reloader=not o["noreload"])

    def _banner(self, port: str) -> None:
        base = settings.SAMNAV_BASE_DOMAIN
        w = self.stdout.write
        w("")
        w(
            f"Central IT:   http://{settings.SAMNAV_CENTRAL_HOST}:{port}/   "
            f"(GraphQL: /graphql/, admin: /admin/)"
        )
        w(f"An agency:    http://uppsala.{base}:{port}/   (every county: SLUG.{base})")
        w("Sign-ins:     admin, katalog, servicedesk, tekniker, ekonomi; SLUG-admin, SLUG-staff")
        w(f"              e.g. uppsala-admin   slugs: {', '.join(s for s, *_ in COUNTY_BOARDS)}")
        w(f"Password:     {settings.SAMNAV_DEMO_PASSWORD}   (demo accounts only)")
        w("Stop with Ctrl-C (stops the embedded database too).")
        w("")
