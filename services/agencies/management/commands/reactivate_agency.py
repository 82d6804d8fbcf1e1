from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services.agencies import actions
from services.agencies.management.commands.onboard_agency import format_errors


class Command(BaseCommand):
    help = "Reactivate a suspended agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            agency = actions.reactivate_agency(None, o["slug"], o["reason"])
        except ValidationError as exc:
            raise CommandError(format_errors(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Reactivated %(name)s.") % {"name": agency.name}))
