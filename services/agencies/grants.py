"""Write path of agency role grants from the portal: a platform admin gives an existing
federation identity a role in an agency (one identity per person for the whole federation;
the person signs in with it on the agency's host)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.agencies.actions import lock_member, require_platform_admin
from services.agencies.errors import AgencyErrorCode as Code
from services.audit.actions import record_event
from services.validation import field_error
from tenants import access
from tenants.models import AgencyState, RoleGrant, User
from tenants.roles import AGENCY_ROLES, Role


def grant_agency_role(
    actor: User | None, agency_ref: int | str, username: str, role: str = Role.AGENCY_ADMIN
) -> RoleGrant:
    """Grant `role` (an agency role) in the agency to the identity named `username`."""
    require_platform_admin(actor)
    if role not in AGENCY_ROLES:
        raise field_error("role", _("Choose an agency role."), Code.INVALID)
    username = (username or "").strip()
    if not username:
        raise field_error("username", _("Enter a username."), Code.REQUIRED)
    try:
        with transaction.atomic():
            agency = lock_member(agency_ref)
            if agency.state == AgencyState.OFFBOARDED:
                raise field_error("agency", _("The agency is offboarded."), Code.INVALID_STATE)
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise field_error(
                    "username", _("No active identity has this username."), Code.NOT_FOUND
                )
            if RoleGrant.objects.filter(user=user, role=role, agency=agency).exists():
                raise field_error(
                    "username", _("This identity already has the role here."), Code.DUPLICATE
                )
            grant = RoleGrant.objects.create(user=user, role=role, agency=agency)
            record_event(
                actor, "agency.role_granted", agency, agency=agency, user=user.pk, role=role
            )
    except IntegrityError as exc:  # a concurrent grant of the same role
        raise field_error(
            "username", _("This identity already has the role here."), Code.DUPLICATE
        ) from exc
    access.forget(user)
    return grant
