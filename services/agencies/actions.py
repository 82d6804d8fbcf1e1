"""Write paths of the agencies domain: onboarding, suspension, reactivation, offboarding.

Called alike by GraphQL mutations, management commands and pages (design.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.agencies import policies
from services.agencies.errors import AgencyErrorCode
from services.agencies.validators import validate_level, validate_org_number, validate_slug
from services.audit.actions import record_event
from tenants import schemas
from tenants.models import Agency, AgencyKind, AgencyState, Domain, User
from tenants.viewer import Viewer


@dataclass(frozen=True)
class AgencyInput:
    name: str
    slug: str
    org_number: str
    security_level: int = 2
    availability_level: int = 2
    headcount: int = 0
    is_demo: bool = False


def _require_platform_admin(actor: User | None) -> None:
    """`actor=None` is the system itself (management commands, the demo loader)."""
    if actor is not None and not policies.is_platform_admin(Viewer.of(actor)):
        raise PermissionDenied(_("Only a platform admin may do this."))


def _validated(data: AgencyInput) -> dict:
    """Check every field, collecting all errors, before anything is written."""
    errors: dict[str, list[ValidationError]] = {}
    clean: dict = {}

    def check(field, fn, *args):
        try:
            clean[field] = fn(*args)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_dict.get(field, [exc]))

    name = (data.name or "").strip()
    if not name:
        errors["name"] = [
            ValidationError(_("Enter the agency's name."), code=AgencyErrorCode.REQUIRED)
        ]
    elif len(name) > 200:
        errors["name"] = [
            ValidationError(_("At most 200 characters."), code=AgencyErrorCode.INVALID)
        ]
    clean["name"] = name
    check("slug", validate_slug, data.slug)
    check("org_number", validate_org_number, data.org_number)
    check("security_level", validate_level, "security_level", data.security_level)
    check("availability_level", validate_level, "availability_level", data.availability_level)
    if not isinstance(data.headcount, int) or data.headcount < 0:
        errors["headcount"] = [
            ValidationError(_("Must be zero or more."), code=AgencyErrorCode.OUT_OF_RANGE)
        ]
    clean["headcount"] = data.headcount
    if "slug" in clean and Agency.objects.filter(slug=clean["slug"]).exists():
        errors.setdefault("slug", []).append(
            ValidationError(
                _("An agency with this slug already exists."), code=AgencyErrorCode.DUPLICATE
            )
        )
    if "org_number" in clean and Agency.objects.filter(org_number=clean["org_number"]).exists():
        errors.setdefault("org_number", []).append(
            ValidationError(
                _("An agency with this organisation number already exists."),
                code=AgencyErrorCode.DUPLICATE,
            )
        )
    if errors:
        raise ValidationError(errors)
    return clean


def agency_domain(slug: str) -> str:
    return f"{slug}.{settings.SAMNAV_BASE_DOMAIN}"


def onboard_agency(actor: User | None, data: AgencyInput) -> Agency:
    """Create an agency: validate, clone the template schema, add its domain, activate.

    One transaction: on any failure there is no row, no domain and no schema (PostgreSQL's
    DDL is transactional).
    """
    _require_platform_admin(actor)
    clean = _validated(data)
    try:
        with transaction.atomic():
            agency = Agency(
                schema_name=schemas.schema_name_for(clean["slug"]),
                kind=AgencyKind.AGENCY,
                state=AgencyState.ONBOARDING,
                is_demo=data.is_demo,
                **clean,
            )
            agency.save()  # Agency.create_schema clones the template
            Domain.objects.create(domain=agency_domain(agency.slug), tenant=agency, is_primary=True)
            agency.state = AgencyState.ACTIVE
            agency.save(update_fields=["state", "updated_at"])
            record_event(actor, "agency.onboarded", agency, agency=agency)
    except IntegrityError as exc:
        # Lost a race with a concurrent onboarding of the same slug or number.
        raise ValidationError(
            {
                "slug": ValidationError(
                    _("An agency with this slug or organisation number already exists."),
                    code=AgencyErrorCode.DUPLICATE,
                )
            }
        ) from exc
    return agency


def _member(agency_id_or_slug) -> Agency:
    qs = Agency.objects.members().select_for_update()
    lookup = (
        {"slug": agency_id_or_slug}
        if isinstance(agency_id_or_slug, str)
        else {"pk": agency_id_or_slug}
    )
    try:
        return qs.get(**lookup)
    except Agency.DoesNotExist as exc:
        raise ValidationError(
            {"agency": ValidationError(_("No such agency."), code=AgencyErrorCode.NOT_FOUND)}
        ) from exc


def suspend_agency(actor: User | None, agency_ref, reason: str) -> Agency:
    """Block every sign-in and API call on the agency's host. Nothing is deleted."""
    _require_platform_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the agency is suspended."), code=AgencyErrorCode.REQUIRED
                )
            }
        )
    with transaction.atomic():
        agency = _member(agency_ref)
        if agency.state != AgencyState.ACTIVE:
            raise ValidationError(
                {
                    "agency": ValidationError(
                        _("Only an active agency can be suspended (it is %(state)s).")
                        % {"state": agency.get_state_display()},
                        code=AgencyErrorCode.INVALID_STATE,
                    )
                }
            )
        agency.state, agency.state_reason = AgencyState.SUSPENDED, reason[:500]
        agency.save(update_fields=["state", "state_reason", "updated_at"])
        record_event(actor, "agency.suspended", agency, agency=agency, reason=reason)
    return agency


def reactivate_agency(actor: User | None, agency_ref, reason: str = "") -> Agency:
    _require_platform_admin(actor)
    with transaction.atomic():
        agency = _member(agency_ref)
        if agency.state != AgencyState.SUSPENDED:
            raise ValidationError(
                {
                    "agency": ValidationError(
                        _("Only a suspended agency can be reactivated (it is %(state)s).")
                        % {"state": agency.get_state_display()},
                        code=AgencyErrorCode.INVALID_STATE,
                    )
                }
            )
        agency.state, agency.state_reason = AgencyState.ACTIVE, ""
        agency.save(update_fields=["state", "state_reason", "updated_at"])
        record_event(actor, "agency.reactivated", agency, agency=agency, reason=reason)
    return agency
