from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services.agencies.management.commands.onboard_agency import format_errors
from services.agencies.offboarding import offboard_agency


class Command(BaseCommand):
    help = (
        "Offboard an agency: export its schema to a zip archive (one CSV file per table, "
        "manifest.json, README.txt), then drop the schema, its domains and role grants."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            result = offboard_agency(None, o["slug"], o["reason"])
        except ValidationError as exc:
            raise CommandError(format_errors(exc)) from exc
        rows = sum(result.row_counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Offboarded %(name)s: %(tables)d tables, %(rows)d rows archived.")
                % {"name": result.agency.name, "tables": len(result.row_counts), "rows": rows}
            )
        )
        self.stdout.write(str(result.archive))
