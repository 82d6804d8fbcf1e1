"""Write paths of licence pools: create and change pools, set agency quotas.

Seat accounting (draw, release, count assignments) is in pool_accounting.py; seat assignments
to people are in services/licences/seats/actions.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.licences import policies
from services.licences import pool_accounting as seats
from services.licences.errors import LicenceErrorCode as Code
from services.licences.models import AgencyQuota, LicencePool
from services.validation import Errors, a_date, field_error, text, whole_number
from tenants.models import Agency, User
from tenants.viewer import Viewer

# A pool's terms, as the actions name them (the supplier and offering by primary key).
POOL_FIELDS = (
    "product",
    "supplier_id",
    "offering_id",
    "starts_on",
    "ends_on",
    "renewal_on",
    "total_seats",
    "seat_monthly_ore",
    "true_up_allowed",
    "true_up_max_seats",
)
# The largest seat count and price the database holds (PositiveIntegerField, BigIntegerField).
MAX_SEATS = 2**31 - 1
MAX_ORE = 2**63 - 1


def _via(via: str) -> dict[str, Any]:
    """The audit event's channel, when it is not the API."""
    return {"via": via} if via else {}


def require_manager(actor: User | None) -> None:
    if not policies.manages_pools_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only a catalogue manager may change licence pools."))


def _clean_pool(values: dict[str, Any], pool: LicencePool | None) -> dict[str, Any]:
    """A pool's terms, checked; every error at once."""
    from services.catalogue.models import Offering, Supplier

    errors = Errors()
    clean = dict(values)
    clean["product"] = text(
        errors,
        "product",
        values.get("product"),
        codes=Code,
        max_length=200,
        required_message=_("Name the product."),
    )
    starts, ends, renewal = (
        a_date(errors, field, values.get(field), codes=Code)
        for field in ("starts_on", "ends_on", "renewal_on")
    )
    if starts and ends and ends < starts:
        errors.add("ends_on", _("Ends before it starts."), Code.INVALID)
    if renewal and ends and renewal > ends:
        errors.add("renewal_on", _("Renewal must be on or before the end."), Code.INVALID)
    for field, high in (
        ("total_seats", MAX_SEATS),
        ("seat_monthly_ore", MAX_ORE),
        ("true_up_max_seats", MAX_SEATS),
    ):
        whole_number(errors, field, values.get(field), codes=Code, low=0, high=high)
    supplier_id = values.get("supplier_id")
    if supplier_id is None or not Supplier.objects.filter(pk=supplier_id).exists():
        errors.add("supplier", _("No such supplier."), Code.NOT_FOUND)
    offering_id = values.get("offering_id")
    if offering_id is not None:
        others = LicencePool.objects.filter(offering_id=offering_id)
        if pool is not None:
            others = others.exclude(pk=pool.pk)
        if not Offering.objects.filter(pk=offering_id).exists():
            errors.add("offering", _("No such offering."), Code.NOT_FOUND)
        elif others.exists():
            errors.add("offering", _("Another pool already serves this offering."), Code.INVALID)
    errors.raise_if_any()
    return clean


def validate_pool(values: dict[str, Any], pool: LicencePool | None = None) -> None:
    """The rules `create_pool` and `update_pool` apply to a pool's terms (all of POOL_FIELDS),
    for the admin's form; the quotas' total is checked with the quotas (`check_quota_total`)."""
    _clean_pool(values, pool)


@transaction.atomic
def create_pool(
    actor: User | None,
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
    data = _clean_pool(
        dict(
            product=product,
            supplier_id=supplier_id,
            starts_on=starts_on,
            ends_on=ends_on,
            renewal_on=renewal_on,
            total_seats=total_seats,
            seat_monthly_ore=seat_monthly_ore,
            offering_id=offering_id,
            true_up_allowed=true_up_allowed,
            true_up_max_seats=true_up_max_seats,
        ),
        None,
    )
    pool = LicencePool.objects.create(**data)
    record_event(actor, "licence_pool.created", pool)
    return pool


@transaction.atomic
def update_pool(actor: User | None, pool_id: int, *, via: str = "", **given: Any) -> LicencePool:
    """Change a pool's terms (any of POOL_FIELDS). The quotas together must still fit in the
    seats owned. `via` names the channel in the audit event ("admin"), when it is not the API;
    the event lists the fields that changed."""
    require_manager(actor)
    unknown = sorted(set(given) - set(POOL_FIELDS))
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(unknown)}")
    pool = seats.lock_pool(pool_id)
    before = {field: getattr(pool, field) for field in POOL_FIELDS}
    data = _clean_pool({**before, **given}, pool)
    changed = sorted(
        field.removesuffix("_id") for field in POOL_FIELDS if data[field] != before[field]
    )
    for field in POOL_FIELDS:
        setattr(pool, field, data[field])
    check_quota_total(pool, seats.sum_quotas(pool), field="total_seats")
    pool.save()
    record_event(actor, "licence_pool.updated", pool, **_via(via), fields=changed)
    return pool


def check_quota_total(pool: LicencePool, total: int, *, field: str = "quota_seats") -> None:
    """Quotas together may not exceed the seats the pool owns (`pool.total_seats`)."""
    if total > (pool.total_seats or 0):
        raise field_error(
            field,
            _("Quotas would total %(sum)s seats; the pool owns %(total)s.")
            % {"sum": total, "total": pool.total_seats or 0},
            Code.QUOTA_OVER_TOTAL,
        )


@transaction.atomic
def delete_pool(actor: User | None, pool_id: int) -> None:
    """Remove a pool with its quotas and records (the admin's delete)."""
    require_manager(actor)
    seats.lock_pool(pool_id).delete()


@transaction.atomic
def set_quota(
    actor: User | None, pool_id: int, agency_id: int, quota_seats: int, *, via: str = ""
) -> AgencyQuota:
    """Give an agency its share of a pool. Quotas together may not exceed the seats owned.
    `via` names the channel in the audit event ("admin"), when it is not the API."""
    require_manager(actor)
    pool = seats.lock_pool(pool_id)
    agency = Agency.objects.members().filter(pk=agency_id).first()
    if agency is None:
        raise field_error("agency", _("No such agency."), Code.NOT_FOUND)
    errors = Errors()
    seats_wanted = whole_number(
        errors, "quota_seats", quota_seats, codes=Code, low=0, high=MAX_SEATS
    )
    errors.raise_if_any()
    assert seats_wanted is not None  # raised above otherwise
    check_quota_total(pool, seats.sum_quotas(pool, excluding_agency=agency) + seats_wanted)
    quota, _created = AgencyQuota.objects.get_or_create(pool=pool, agency=agency)
    before = quota.quota_seats
    quota.quota_seats = seats_wanted
    quota.save(update_fields=["quota_seats"])
    record_event(
        actor,
        "licence_quota.set",
        quota,
        agency=agency,
        **_via(via),
        quota_seats=[before, seats_wanted],
    )
    return quota
