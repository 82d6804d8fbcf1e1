"""Write paths of licence pools: create and change pools, set agency quotas.

Seat accounting (draw, release, count assignments) is in seats.py; seat assignments to
people are in services/licences/seats/actions.py.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.licences import policies
from services.licences import pool_accounting as seats
from services.licences.errors import LicenceErrorCode as Code
from services.licences.models import AgencyQuota, LicencePool
from tenants.models import Agency
from tenants.viewer import Viewer


def require_manager(actor) -> None:
    if not policies.manages_pools_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only a catalogue manager may change licence pools."))


def _check_pool(data: dict) -> None:
    errors = {}
    if not (data.get("product") or "").strip():
        errors["product"] = [ValidationError(_("Name the product."), code=Code.REQUIRED)]
    starts, ends, renewal = data.get("starts_on"), data.get("ends_on"), data.get("renewal_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = [ValidationError(_("Ends before it starts."), code=Code.INVALID)]
    if renewal and ends and renewal > ends:
        errors["renewal_on"] = [
            ValidationError(_("Renewal must be on or before the end."), code=Code.INVALID)
        ]
    for field in ("total_seats", "seat_monthly_ore", "true_up_max_seats"):
        value = data.get(field)
        if value is not None and value < 0:
            errors[field] = [ValidationError(_("Must be zero or more."), code=Code.INVALID)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_pool(
    actor,
    *,
    product: str,
    supplier_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    renewal_on: dt.date,
    total_seats: int,
    seat_monthly_ore: int = 0,
    offering_id: int | None = None,
    true_up_allowed: bool = False,
    true_up_max_seats: int = 0,
) -> LicencePool:
    require_manager(actor)
    data = dict(
        product=product.strip(),
        supplier_id=supplier_id,
        starts_on=starts_on,
        ends_on=ends_on,
        renewal_on=renewal_on,
        total_seats=total_seats,
        seat_monthly_ore=seat_monthly_ore,
        offering_id=offering_id,
        true_up_allowed=true_up_allowed,
        true_up_max_seats=true_up_max_seats,
    )
    _check_pool(data)
    from services.catalogue.models import Offering, Supplier

    if not Supplier.objects.filter(pk=supplier_id).exists():
        raise ValidationError(
            {"supplier": ValidationError(_("No such supplier."), code=Code.NOT_FOUND)}
        )
    if offering_id is not None:
        if not Offering.objects.filter(pk=offering_id).exists():
            raise ValidationError(
                {"offering": ValidationError(_("No such offering."), code=Code.NOT_FOUND)}
            )
        if LicencePool.objects.filter(offering_id=offering_id).exists():
            raise ValidationError(
                {
                    "offering": ValidationError(
                        _("Another pool already serves this offering."), code=Code.INVALID
                    )
                }
            )
    pool = LicencePool.objects.create(**data)
    record_event(actor, "licence_pool.created", pool)
    return pool


def check_quota_total(pool, total: int) -> None:
    """Quotas together may not exceed the seats the pool owns (`pool.total_seats`)."""
    if total > (pool.total_seats or 0):
        raise ValidationError(
            {
                "quota_seats": ValidationError(
                    _("Quotas would total %(sum)s seats; the pool owns %(total)s.")
                    % {"sum": total, "total": pool.total_seats or 0},
                    code=Code.QUOTA_OVER_TOTAL,
                )
            }
        )


@transaction.atomic
def set_quota(
    actor, pool_id: int, agency_id: int, quota_seats: int, *, via: str = ""
) -> AgencyQuota:
    """Give an agency its share of a pool. Quotas together may not exceed the seats owned.
    `via` names the channel in the audit event ("admin"), when it is not the API."""
    require_manager(actor)
    pool = seats.lock_pool(pool_id)
    agency = Agency.objects.members().filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError(
            {"agency": ValidationError(_("No such agency."), code=Code.NOT_FOUND)}
        )
    if quota_seats < 0:
        raise ValidationError(
            {"quota_seats": ValidationError(_("Must be zero or more."), code=Code.INVALID)}
        )
    check_quota_total(pool, seats.sum_quotas(pool, excluding_agency=agency) + quota_seats)
    quota, _created = AgencyQuota.objects.get_or_create(pool=pool, agency=agency)
    before = quota.quota_seats
    quota.quota_seats = quota_seats
    quota.save(update_fields=["quota_seats"])
    record_event(
        actor,
        "licence_quota.set",
        quota,
        agency=agency,
        **({"via": via} if via else {}),
        quota_seats=[before, quota_seats],
    )
    return quota
