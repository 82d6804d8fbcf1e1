"""Write paths of the agencies domain: onboarding, suspension, reactivation, offboarding.

Called alike by GraphQL mutations, management commands and pages (design.md §1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.agencies import policies
from services.agencies.errors import AgencyErrorCode
from services.agencies.validators import validate_level, validate_org_number, validate_slug
from services.audit.actions import record_event
from services.validation import Errors, clean_text, text
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


def require_platform_admin(actor: User | None) -> None:
    """`actor=None` is the system itself (management commands, the demo loader)."""
    if actor is not None and not policies.is_platform_admin(Viewer.of(actor)):
        raise PermissionDenied(_("Only a platform admin may do this."))


def _validated(data: AgencyInput) -> dict[str, Any]:
    """Check every field, collecting all errors, before anything is written."""
    errors = Errors()
    clean: dict[str, Any] = {}

    def check(field: str, fn: Callable[..., Any], *args: Any) -> None:
        try:
            clean[field] = fn(*args)
        except ValidationError as exc:
            errors.items.setdefault(field, []).extend(exc.error_dict.get(field, [exc]))

    clean["name"] = text(
        errors,
        "name",
        data.name,
        codes=AgencyErrorCode,
        max_length=200,
        required_message=_("Enter the agency's name."),
    )
    check("slug", validate_slug, data.slug)
    check("org_number", validate_org_number, data.org_number)
    check("security_level", validate_level, "security_level", data.security_level)
    check("availability_level", validate_level, "availability_level", data.availability_level)
    if not isinstance(data.headcount, int) or data.headcount < 0:
        errors.add("headcount", _("Must be zero or more."), AgencyErrorCode.OUT_OF_RANGE)
    clean["headcount"] = data.headcount
    if "slug" in clean and Agency.objects.filter(slug=clean["slug"]).exists():
        errors.add("slug", _("An agency with this slug already exists."), AgencyErrorCode.DUPLICATE)
    if "org_number" in clean and Agency.objects.filter(org_number=clean["org_number"]).exists():
        errors.add(
            "org_number",
            _("An agency with this organisation number already exists."),
            AgencyErrorCode.DUPLICATE,
        )
    errors.raise_if_any()
    return clean


def agency_domain(slug: str) -> str:
    return f"{slug}.{settings.SAMNAV_BASE_DOMAIN}"


def onboard_agency(actor: User | None, data: AgencyInput) -> Agency:
    """Create an agency: validate, clone the template schema, add its domain, activate.

    One transaction: on any failure there is no row, no domain and no schema (PostgreSQL's
    DDL is transactional).
    """
    require_platform_admin(actor)
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


def lock_member(agency_id_or_slug: int | str) -> Agency:
    """The member agency named by id or slug, locked for the rest of the transaction."""
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


def suspend_agency(actor: User | None, agency_ref: int | str, reason: str) -> Agency:
    """Block every sign-in and API call on the agency's host. Nothing is deleted."""
    require_platform_admin(actor)
    reason = clean_text("reason", reason)
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the agency is suspended."), code=AgencyErrorCode.REQUIRED
                )
            }
        )
    with transaction.atomic():
        agency = lock_member(agency_ref)
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


def reactivate_agency(actor: User | None, agency_ref: int | str, reason: str = "") -> Agency:
    require_platform_admin(actor)
    with transaction.atomic():
        agency = lock_member(agency_ref)
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


PROFILE_FIELDS = ("name", "security_level", "availability_level", "headcount", "county")


def validate_agency_profile(values: dict[str, Any], agency: Agency | None = None) -> dict[str, Any]:
    """The checked values of an agency's profile (`update_agency_profile`), every error of them
    at once, named by field; nothing is written."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: ValidationError(_("Unknown field."), code=AgencyErrorCode.INVALID) for f in unknown}
        )
    errors = Errors()
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = text(
            errors,
            "name",
            values["name"],
            codes=AgencyErrorCode,
            max_length=200,
            required_message=_("Enter the agency's name."),
        )
    for field in ("security_level", "availability_level"):
        if field in values:
            try:
                clean[field] = validate_level(field, values[field])
            except ValidationError as exc:
                errors.items.setdefault(field, []).extend(exc.error_dict.get(field, [exc]))
    if "headcount" in values:
        headcount = values["headcount"]
        if not isinstance(headcount, int) or isinstance(headcount, bool) or headcount < 0:
            errors.add("headcount", _("Must be zero or more."), AgencyErrorCode.OUT_OF_RANGE)
        clean["headcount"] = headcount
    if "county" in values:
        county = values["county"] or ""
        if county and county not in dict(Agency._meta.get_field("county").choices or ()):
            errors.add("county", _("Unknown county."), AgencyErrorCode.INVALID)
        clean["county"] = county
    errors.raise_if_any()
    return clean


def update_agency_profile(
    actor: User | None, agency_ref: int | str, values: dict[str, Any]
) -> Agency:
    """Change what describes an agency (its name, levels, headcount, county): the write of the
    Django admin's agency page. Every field is checked before anything is written; the change
    is audited with the fields that changed. Slug, number and state have their own actions."""
    require_platform_admin(actor)
    clean = validate_agency_profile(values)
    with transaction.atomic():
        agency = lock_member(agency_ref)
        changes = {f: v for f, v in clean.items() if getattr(agency, f) != v}
        if changes:
            for field, value in changes.items():
                setattr(agency, field, value)
            agency.save(update_fields=[*changes, "updated_at"])
            record_event(actor, "agency.updated", agency, agency=agency, **changes)
    return agency


def set_central_org_number(actor: User | None, number: str) -> Agency:
    """Central IT's own organisation number, which the exports that name the payer need (SIE
    4's #ORGNR). Checked as any agency's; audited. `actor` None: the demo loader or a deploy
    step."""
    require_platform_admin(actor)
    clean = validate_org_number(number)
    with transaction.atomic():
        central = Agency.objects.select_for_update().get(kind=AgencyKind.CENTRAL)
        if central.org_number != clean:
            central.org_number = clean
            central.save(update_fields=["org_number", "updated_at"])
            record_event(actor, "agency.org_number_set", central, agency=central, org_number=clean)
    return central
