"""Licence pools for tests: a licence offering in the small test catalogue, with a pool."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from services.licences.models import AgencyQuota, LicencePool
from tests.ordering.catalogue import build_catalogue


def build_pool(federation, prefix="lp", total=100, alpha_quota=30, beta_quota=0, true_up=0):
    cat = build_catalogue(prefix=prefix)
    year = timezone.localdate().year  # an agreement from last year to two years on
    pool = LicencePool.objects.create(
        product=f"{prefix} Office",
        supplier=cat.mail.service.suppliers.first(),
        offering=cat.suite,
        starts_on=dt.date(year - 1, 1, 1),
        ends_on=dt.date(year + 2, 12, 31),
        renewal_on=dt.date(year + 2, 10, 1),
        total_seats=total,
        seat_monthly_ore=9_000,
        true_up_allowed=true_up > 0,
        true_up_max_seats=true_up,
    )
    AgencyQuota.objects.create(pool=pool, agency=federation.alpha, quota_seats=alpha_quota)
    if beta_quota:
        AgencyQuota.objects.create(pool=pool, agency=federation.beta, quota_seats=beta_quota)
    return cat, pool
