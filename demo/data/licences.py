"""Demo licence pools: the catalogue's licence offerings, with a quota per agency sized by
its (invented) headcount and a shared reserve of about a tenth. The agreements run from the
start of last year to the end of next year (renewal on 30 September next year), counted from
Stockholm's today, so they are in force whatever year the demo is loaded. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from services.catalogue.models import Offering
from services.licences.models import AgencyQuota, LicencePool
from tenants.models import Agency

# offering code, share of headcount given as quota, price per seat per month (öre), true-up
POOLS = [
    ("licens-kontorspaket", 1.0, 9_500, 50),
    ("licens-gis-visning", 0.2, 4_000, 0),
    ("licens-diarium", 0.8, 6_500, 20),
]


@transaction.atomic
def load_licences(agencies: list[Agency]) -> int:
    year = timezone.localdate().year
    created = 0
    for code, share, price, true_up in POOLS:
        offering = Offering.objects.filter(code=code).select_related("service").first()
        if offering is None or LicencePool.objects.filter(offering=offering).exists():
            continue
        quotas = {a.pk: int(a.headcount * share) for a in agencies}
        total = sum(quotas.values())
        supplier = offering.service.suppliers.order_by("is_internal", "name").first()
        assert supplier is not None  # every demo service has a supplier (demo.data.catalogue)
        pool = LicencePool.objects.create(
            product=offering.name,
            supplier=supplier,
            offering=offering,
            starts_on=dt.date(year - 1, 1, 1),
            ends_on=dt.date(year + 1, 12, 31),
            renewal_on=dt.date(year + 1, 9, 30),
            total_seats=total + total // 10,
            seat_monthly_ore=price,
            true_up_allowed=true_up > 0,
            true_up_max_seats=true_up,
        )
        AgencyQuota.objects.bulk_create(
            AgencyQuota(pool=pool, agency_id=pk, quota_seats=seats) for pk, seats in quotas.items()
        )
        created += 1
    return created
