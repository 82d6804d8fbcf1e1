"""A published-ready month for alpha and beta: March 2026, headcounts 100 and 200, a fixed
30/70 key and a headcount key, two pools, run once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.costs.allocation import execute_run
from services.costs.models import AllocationKey, AllocationRun, CostPool, Period
from tenants.models import Agency, AgencyKind
from tests.costs import builders as b


@dataclass
class Split:
    period: Period
    fixed: AllocationKey
    heads: AllocationKey
    servers: CostPool  # 1 000 kr by 30/70
    staff: CostPool  # 100.01 kr by headcount 100/200


def run_now(period: Period) -> AllocationRun:
    return execute_run(AllocationRun.objects.create(period=period).pk)


@pytest.fixture
def split(federation, db) -> Split:
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    b.drivers(per, "headcount", {a: 100, z: 200})
    b.drivers(per, "budget", {a: 5_000_00, z: 9_000_00})
    fixed = b.key("Servers 30/70", "fixed", weights={a: "30", z: "70"})
    heads = b.key("Headcount", "driver", "headcount")
    servers = b.pool(per, "Servers", 1_000_00, fixed, source_reference="INV-1001")
    staff = b.pool(per, "Support staff", 100_01, heads, category="support_staff")
    assert run_now(per).state == "done"
    return Split(period=per, fixed=fixed, heads=heads, servers=servers, staff=staff)


@pytest.fixture
def central_org(federation, db) -> str:
    """Central IT's own agency row with an organisation number (SIE needs it); rolled back."""
    Agency.objects.filter(kind=AgencyKind.CENTRAL).update(org_number="2021001234")
    return "202100-1234"


@pytest.fixture
def published(split, federation):
    from services.costs.actions import publish_statements

    publish_statements(federation.user("fin"), split.period.pk)
    split.period.refresh_from_db()
    return split
