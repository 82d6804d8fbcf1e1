"""The demo year: ten closed months (the last with an adjusted dispute), last month published
with an open dispute and the rest accepted, and the current month open; every pool split
exactly; loading twice adds nothing."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from services.costs.demo import load_costs
from services.costs.models import (
    Adjustment,
    AllocationLine,
    CostPool,
    Dispute,
    Period,
    Statement,
)

pytestmark = pytest.mark.django_db


def test_the_demo_year_has_history_and_one_open_dispute(federation):
    # given the test federation (alpha, beta) with finance and agency admins
    agencies = [federation.alpha, federation.beta]
    # when the costs demo is loaded
    created = load_costs(agencies)
    # then there are 12 periods: 10 closed, last month published and this month open
    assert created == 12
    states = list(Period.objects.order_by("month").values_list("state", flat=True))
    assert states == ["closed"] * 10 + ["preliminary", "open"]
    current = Period.objects.order_by("-month").first()
    assert current.month == timezone.localdate().replace(day=1)
    assert current.published_at is None and not Statement.objects.filter(period=current)
    latest = Period.objects.get(state="preliminary")
    # with one open dispute, by alpha, in last month
    open_disputes = Dispute.objects.filter(state="open")
    assert [(d.period_id, d.agency_id) for d in open_disputes] == [(latest.pk, federation.alpha.pk)]
    # who accepted the rest of the statement
    assert Statement.objects.get(period=latest, agency=federation.alpha).state == "partly_accepted"
    # and the last closed month shows beta's adjusted dispute: every line it moved is an
    # adjustment with its reason, and the month's statements are final
    last_closed = Period.objects.filter(state="closed").order_by("-month").first()
    adjusted = Dispute.objects.get(period=last_closed, state="adjusted")
    assert adjusted.agency_id == federation.beta.pk
    moved = Adjustment.objects.filter(dispute=adjusted)
    assert {a.agency_id for a in moved} == {federation.alpha.pk, federation.beta.pk}
    assert sum(a.amount_ore for a in moved) == 0
    assert all(a.reason.startswith("Halva månaden") for a in moved)
    assert set(Statement.objects.filter(period=last_closed).values_list("state", flat=True)) == {
        "final"
    }
    # and every pool's lines sum to the pool exactly
    pools = CostPool.objects.annotate(split=Sum("lines__amount_ore"))
    assert all(p.split == p.amount_ore for p in pools)
    assert pools.count() >= 12 * 4
    # and one correction of a closed month went into a later one, tracing back to its line
    correction = CostPool.objects.get(category="correction")
    assert correction.corrects.period.state == "closed"
    assert correction.period.month > correction.corrects.period.month
    # when it is loaded again, then nothing is added
    lines = AllocationLine.objects.count()
    assert load_costs(agencies) == 0
    assert (Period.objects.count(), AllocationLine.objects.count()) == (12, lines)
