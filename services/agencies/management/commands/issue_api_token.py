from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services.agencies.tokens import issue_api_token
from tenants.models import User


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        user = User.objects.filter(username=o["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("username: no active identity named %(username)s.") % {"username": o["username"]}
            )
        raw, _token = issue_api_token(user, name=o["name"])
        self.stdout.write(raw)
