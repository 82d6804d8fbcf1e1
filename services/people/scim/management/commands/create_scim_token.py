"""manage.py create_scim_token SLUG NAME: a SCIM token of an agency, printed once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.people.scim.actions import create_token
from tenants.models import Agency


class Command(BaseCommand):
    help = "Create a SCIM token of an agency (its identity provider's) and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("name")

    def handle(self, *args: Any, slug: str, name: str, **options: Any) -> None:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            raise CommandError(f"No agency with the slug {slug!r}.")
        try:
            _token, raw = create_token(agency, None, name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
