from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenants.models import Agency, RoleGrant, User
from tenants.roles import AGENCY_ROLES, Role


class Command(BaseCommand):
    help = "Grant ROLE to USERNAME (creating the identity if --create). Agency roles need --agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=list(Role.values))
        parser.add_argument("--agency", help="the agency's slug, for agency roles")
        parser.add_argument(
            "--create",
            action="store_true",
            help="create the identity with an unusable password if missing",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        user = User.objects.filter(username=o["username"]).first()
        if user is None and o["create"]:
            user = User.objects.create_user(o["username"], None)
        if user is None:
            raise CommandError(_("username: no identity named %(name)s") % {"name": o["username"]})
        agency = None
        if o["role"] in AGENCY_ROLES:
            agency = Agency.objects.members().filter(slug=o["agency"] or "").first()
            if agency is None:
                raise CommandError(_("agency: an agency role needs --agency with a known slug"))
        elif o["agency"]:
            raise CommandError(_("agency: a central role takes no agency"))
        RoleGrant.objects.get_or_create(user=user, role=o["role"], agency=agency)
        if o["role"] == Role.PLATFORM_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.username}: {o['role']}{' @ ' + agency.slug if agency else ''}"
            )
        )
