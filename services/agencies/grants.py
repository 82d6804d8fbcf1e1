"""Write path of agency role grants from the portal: a platform admin gives an existing
federation identity a role in an agency (one identity per person for the whole federation;
the person signs in with it on the agency's host)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.agencies import policies
from services.agencies.errors import AgencyErrorCode as Code
from services.audit.actions import record_event
from tenants import access
from tenants.models import Agency, AgencyState, RoleGrant, User
from tenants.roles import AGENCY_ROLES, Role
from tenants.viewer import Viewer


def _error(field: str, message: str, code: Code) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def grant_agency_role(
    actor: User | None, agency_ref, username: str, role: str = Role.AGENCY_ADMIN
) -> RoleGrant:
    """Grant `role` (an agency role) in the agency to the identity named `username`."""
    if actor is not None and not policies.is_platform_admin(Viewer.of(actor)):
        raise PermissionDenied(_("Only a platform admin may do this."))
    if role not in AGENCY_ROLES:
        raise _error("role", _("Choose an agency role."), Code.INVALID)
    username = (username or "").strip()
    if not username:
        raise _error("username", _("Enter a username."), Code.REQUIRED)
    try:
        with transaction.atomic():
            lookup = {"slug": agency_ref} if isinstance(agency_ref, str) else {"pk": agency_ref}
            agency = Agency.objects.members().select_for_update().filter(**lookup).first()
            if agency is None:
                raise _error("agency", _("No such agency."), Code.NOT_FOUND)
            if agency.state == AgencyState.OFFBOARDED:
                raise _error("agency", _("The agency is offboarded."), Code.INVALID_STATE)
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise _error("username", _("No active identity has this username."), Code.NOT_FOUND)
            if RoleGrant.objects.filter(user=user, role=role, agency=agency).exists():
                raise _error(
                    "username", _("This identity already has the role here."), Code.DUPLICATE
                )
            grant = RoleGrant.objects.create(user=user, role=role, agency=agency)
            record_event(
                actor, "agency.role_granted", agency, agency=agency, user=user.pk, role=role
            )
    except IntegrityError as exc:  # a concurrent grant of the same role
        raise _error(
            "username", _("This identity already has the role here."), Code.DUPLICATE
        ) from exc
    access.forget(user)
    return grant
