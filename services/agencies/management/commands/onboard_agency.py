from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services.agencies import actions


class Command(BaseCommand):
    help = "Onboard an agency: clone the template schema, add its domain, activate it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--org-number", required=True)
        parser.add_argument("--security-level", type=int, default=2)
        parser.add_argument("--availability-level", type=int, default=2)
        parser.add_argument("--headcount", type=int, default=0)

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            agency = actions.onboard_agency(
                None,
                actions.AgencyInput(
                    name=o["name"],
                    slug=o["slug"],
                    org_number=o["org_number"],
                    security_level=o["security_level"],
                    availability_level=o["availability_level"],
                    headcount=o["headcount"],
                ),
            )
        except ValidationError as exc:
            raise CommandError(format_errors(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Onboarded %(name)s: schema %(schema)s, %(url)s")
                % {
                    "name": agency.name,
                    "schema": agency.schema_name,
                    "url": actions.agency_domain(agency.slug),
                }
            )
        )


def format_errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(m for m in msgs)}" for field, msgs in exc.message_dict.items()
        )
    return " ".join(exc.messages)
