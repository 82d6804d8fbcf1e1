"""A year of ordering history for a demo agency, made through the real actions.

Each of the twelve months before the current one (across the turn of the year when there is
one) the agency orders a little (what its levels allow), central IT fulfils most of it and
rejects some. Then, on days drawn from the last week (possibly last month or last year), the
agency places a few more orders that stay open, so central IT's fulfilment queue has work
whatever day the demo is loaded. Timestamps are moved back to the day each order belongs to.
"Today" is Stockholm's date (`timezone.localdate()`). Deterministic per agency and day.
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
from services.ordering import actions, budgets, fulfilment, quotes
from services.ordering.models import Budget, Order, OrderEvent, OrderingPolicy, OrderState

# Ordered first, since other offerings require an e-mail account.
FOUNDATION = ["epost-konto", "servicedesk-kontorstid", "klient-standard"]
HISTORY_MONTHS = 12
# Orders left open: this many awaiting fulfilment, placed 1 to OPEN_WITHIN_DAYS days ago.
OPEN_ORDERS = 2
OPEN_WITHIN_DAYS = 6


def past_months(today: dt.date, count: int = HISTORY_MONTHS) -> list[dt.date]:
    """The first days of the `count` months before `today`'s month, oldest first."""
    this = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(this - count, this)]


def load_agency_history(agency, admin, desk, today: dt.date | None = None) -> int:
    """Create the history once; returns the number of orders created (0 when present)."""
    today = today or timezone.localdate()
    months = past_months(today)
    with tenant_context(agency):
        if Order.objects.exists():
            return 0
        years = sorted({m.year for m in months} | {today.year, today.year + 1})
        missing = set(years) - set(Budget.objects.values_list("year", flat=True))
        OrderingPolicy.objects.get_or_create(pk=1, defaults={"approval_threshold_ore": 50_000_000})
    for year in sorted(missing):  # through the action: the budgets' history shows them
        amount = max(agency.headcount, 50) * 2_000_000
        budgets.set_budget(agency, admin, year, amount, today=today)
    rng = random.Random(agency.slug)  # noqa: S311 - deterministic demo data, not secrets
    catalogue = [
        o
        for o in offerings_with_prices().filter(lifecycle=Lifecycle.ACTIVE).order_by("pk")
        if not_orderable_reason(o, agency, today) is None
    ]
    by_code = {o.code: o for o in catalogue}
    first = [by_code[c] for c in FOUNDATION if c in by_code]
    others = [o for o in catalogue if o not in first]
    created = 0
    founded = not first
    for month in months:
        day = month.replace(day=min(rng.randint(2, 26), 28))
        picks = first if not founded else rng.sample(others, k=min(len(others), rng.randint(1, 2)))
        placed = [_place(agency, admin, offering, day, rng, settle_by=desk) for offering in picks]
        for order in filter(None, placed):
            _backdate(agency, order.pk, day)
            created += 1
        # the foundation waits for the first month it could be ordered (it has a price)
        founded = founded or any(placed)
    return created + _open_orders(agency, admin, others, today, rng)


def _open_orders(agency, admin, others: list[Offering], today: dt.date, rng) -> int:
    """Orders placed in the last few days and left open: offerings are tried in a drawn order
    until OPEN_ORDERS await fulfilment (one over the approval threshold awaits approval)."""
    created = waiting = 0
    for offering in rng.sample(others, k=len(others)):
        day = today - dt.timedelta(days=rng.randint(1, OPEN_WITHIN_DAYS))
        order = _place(agency, admin, offering, day, rng)
        if order is None:
            continue
        _backdate(agency, order.pk, day)
        created += 1
        waiting += order.state == OrderState.AWAITING_FULFILMENT
        if waiting >= OPEN_ORDERS:
            break
    return created


def _place(agency, admin, offering: Offering, day: dt.date, rng, settle_by=None) -> Order | None:
    """Place an order of one line as of `day`; with `settle_by` (a service-desk agent), central
    IT fulfils it from `day` on, or now and then rejects it, when it awaits fulfilment. None
    when the rules say no (no price yet, prerequisite, exclusion, budget), as for anyone."""
    request = [quotes.LineRequest(offering.pk, _quantity(offering, agency, rng))]
    try:
        with transaction.atomic():
            order = actions.place_order(agency, admin, request, note="Demo", today=day)
            fate = rng.random()
            if settle_by is not None and order.state == OrderState.AWAITING_FULFILMENT:
                if fate > 0.1:
                    order = fulfilment.fulfil_order(agency, settle_by, order.pk, starts_on=day)
                else:
                    order = actions.reject_order(
                        agency, settle_by, order.pk, "Leverantören kan inte leverera"
                    )
            return order
    except ValidationError:
        return None


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
