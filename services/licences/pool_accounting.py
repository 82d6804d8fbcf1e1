"""Seat accounting of a pool: draw and release held seats, count assignments.

Every function locks the pool row first (SELECT ... FOR UPDATE), so all changes to one pool
are serialised, and must run inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from services.licences.errors import LicenceErrorCode as Code
from services.licences.models import AgencyQuota, LicencePool
from tenants.models import Agency


@dataclass(frozen=True)
class Availability:
    quota_left: int  # of the agency's own quota
    reserve_left: int  # of the shared reserve
    true_up_left: int  # of the allowed true-up beyond the seats owned

    @property
    def total(self) -> int:
        return self.quota_left + self.reserve_left + self.true_up_left


def lock_pool(pool_id: int) -> LicencePool:
    pool = LicencePool.objects.select_for_update().filter(pk=pool_id).first()
    if pool is None:
        raise ValidationError(
            {"pool": ValidationError(_("No such licence pool."), code=Code.NOT_FOUND)}
        )
    return pool


def _quota(pool: LicencePool, agency: Agency) -> AgencyQuota:
    quota, _created = AgencyQuota.objects.get_or_create(pool=pool, agency=agency)
    return quota


def availability(pool: LicencePool, agency: Agency) -> Availability:
    """What `agency` could still draw: its quota, then the reserve, then the true-up."""
    quotas = list(AgencyQuota.objects.filter(pool=pool))
    mine = next((q for q in quotas if q.agency_id == agency.pk), None)
    quota_left = max(0, mine.quota_seats - mine.held_seats) if mine else 0
    reserve = max(0, pool.total_seats - sum(q.quota_seats for q in quotas))
    over = sum(q.over_quota for q in quotas)
    reserve_left = max(0, reserve - over)
    held = sum(q.held_seats for q in quotas)
    true_up = pool.true_up_max_seats if pool.true_up_allowed else 0
    # The true-up is what may be held beyond the seats owned, pool-wide.
    true_up_left = max(0, min(true_up, pool.capacity - max(held, pool.total_seats)))
    return Availability(quota_left, reserve_left, true_up_left)


def draw(pool_id: int, agency: Agency, seats: int, field: str = "quantity") -> int:
    """Hold `seats` more seats for the agency, or raise naming `field`. Returns seats drawn."""
    if seats <= 0:
        return 0
    pool = lock_pool(pool_id)
    left = availability(pool, agency)
    if seats > left.total:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "The licence pool %(pool)s has %(left)s seat(s) left for this agency; "
                        "%(wanted)s asked for."
                    )
                    % {"pool": pool.product, "left": left.total, "wanted": seats},
                    code=Code.POOL_EXHAUSTED,
                )
            }
        )
    quota = _quota(pool, agency)
    AgencyQuota.objects.filter(pk=quota.pk).update(held_seats=quota.held_seats + seats)
    return seats


def release(pool_id: int, agency: Agency, seats: int, field: str = "quantity") -> None:
    """Give back held seats; refused while people still hold them."""
    if seats <= 0:
        return
    pool = lock_pool(pool_id)
    quota = _quota(pool, agency)
    if quota.held_seats - seats < quota.assigned_seats:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(assigned)s seat(s) of %(pool)s are still assigned to people: "
                        "release them first."
                    )
                    % {"assigned": quota.assigned_seats, "pool": pool.product},
                    code=Code.SEATS_STILL_ASSIGNED,
                )
            }
        )
    AgencyQuota.objects.filter(pk=quota.pk).update(held_seats=max(0, quota.held_seats - seats))


def count_assignment(pool_id: int, agency: Agency, delta: int) -> None:
    """+1 when a person gets a held seat, -1 when it is released."""
    pool = lock_pool(pool_id)
    quota = _quota(pool, agency)
    if delta > 0 and quota.assigned_seats + delta > quota.held_seats:
        raise ValidationError(
            {
                "pool": ValidationError(
                    _(
                        "All %(held)s seat(s) of %(pool)s that the agency holds are "
                        "assigned: order more."
                    )
                    % {"held": quota.held_seats, "pool": pool.product},
                    code=Code.NO_FREE_SEAT,
                )
            }
        )
    AgencyQuota.objects.filter(pk=quota.pk).update(
        assigned_seats=max(0, quota.assigned_seats + delta)
    )


def sum_quotas(pool: LicencePool, excluding_agency: Agency | None = None) -> int:
    qs = AgencyQuota.objects.filter(pool=pool)
    if excluding_agency is not None:
        qs = qs.exclude(agency=excluding_agency)
    return int(qs.aggregate(total=Sum("quota_seats"))["total"] or 0)
