"""A year of ordering history for a demo agency, made through the real actions.

Each month from January to last month the agency orders a little (what its levels allow),
central IT fulfils most of it and rejects some; a few orders stay open so the queues have
work. Timestamps are then moved back to the month they belong to. Deterministic per agency.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from services.catalogue.models import Lifecycle, Offering
from services.catalogue.selectors import not_orderable_reason, offerings_with_prices
from services.ordering import actions, fulfilment, quotes
from services.ordering.models import Budget, Order, OrderEvent, OrderingPolicy

# Ordered first, since other offerings require an e-mail account.
FOUNDATION = ["epost-konto", "servicedesk-kontorstid", "klient-standard"]


def load_agency_history(agency, admin, desk, today: dt.date | None = None) -> int:
    """Create the history once; returns the number of orders created (0 when present)."""
    today = today or dt.date.today()
    with tenant_context(agency):
        if Order.objects.exists():
            return 0
        Budget.objects.get_or_create(
            year=today.year, defaults={"amount_ore": max(agency.headcount, 50) * 2_000_000}
        )
        OrderingPolicy.objects.get_or_create(pk=1, defaults={"approval_threshold_ore": 50_000_000})
    rng = random.Random(agency.slug)  # noqa: S311 - deterministic demo data, not secrets
    catalogue = [
        o
        for o in offerings_with_prices().filter(lifecycle=Lifecycle.ACTIVE)
        if not_orderable_reason(o, agency, dt.date(today.year, 1, 1)) is None
    ]
    by_code = {o.code: o for o in catalogue}
    first = [by_code[c] for c in FOUNDATION if c in by_code]
    others = [o for o in catalogue if o not in first]
    created = 0
    for month in range(1, today.month + 1):
        day = dt.date(today.year, month, min(rng.randint(2, 26), 28))
        if day >= today:
            break
        picks = first if month == 1 else rng.sample(others, k=min(len(others), rng.randint(1, 2)))
        for offering in picks:
            request = [quotes.LineRequest(offering.pk, _quantity(offering, agency, rng))]
            try:
                with transaction.atomic():
                    order = actions.place_order(agency, admin, request, note="Demo", today=day)
                    fate = rng.random()
                    if order.state == "awaiting_fulfilment" and month < today.month:
                        if fate > 0.1:
                            fulfilment.fulfil_order(agency, desk, order.pk, starts_on=day)
                        else:
                            actions.reject_order(
                                agency, desk, order.pk, "Leverantören kan inte leverera"
                            )
                    _backdate(agency, order.pk, day)
                    created += 1
            except ValidationError:
                continue  # the rules said no (prerequisite, exclusion, budget), as for anyone
    return created


def _quantity(offering: Offering, agency, rng: random.Random) -> int:
    if offering.unit in {"användare", "enhet"}:
        want = agency.headcount if offering.code in FOUNDATION else rng.randint(5, 40)
    elif offering.unit == "GB":
        want = rng.choice([500, 1000, 2000])
    else:
        want = rng.randint(1, 3)
    return max(offering.min_quantity, min(offering.max_quantity, want))


def _backdate(agency, order_id: int, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    with tenant_context(agency):
        Order.objects.filter(pk=order_id).update(placed_at=at)
        OrderEvent.objects.filter(order_id=order_id).update(at=at)
