"""Compliance positions of pools and agencies: read from public only, in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from api.licences.usage import (
    agency_compliance_of,
    pool_compliance_of,
    with_agency_compliance,
    with_pool_compliance,
)
from services.licences.compliance import (
    agency_position,
    agency_positions,
    pool_position,
    pool_positions,
)
from services.licences.models import LicencePool
from services.licences.reconciliation import import_usage
from tests.licences.test_reconciliation import days_ago, give_quota, give_seat, make_pool, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def pool(federation):
    """10 seats, true-up of 3 allowed: alpha quota 5 holds 7, beta quota 4 holds 2."""
    pool = make_pool(total=10)
    LicencePool.objects.filter(pk=pool.pk).update(true_up_allowed=True, true_up_max_seats=3)
    pool.refresh_from_db()
    give_quota(pool, federation.alpha, quota=5, held=7)
    give_quota(pool, federation.beta, quota=4, held=2)
    give_seat(pool, federation.alpha, "anna@alfa.example")
    give_seat(pool, federation.alpha, "bo@alfa.example")
    give_seat(pool, federation.alpha, "cilla@alfa.example", started=5)
    give_seat(pool, federation.beta, "dora@beta.example")
    return pool


def test_a_pool_position_before_any_usage_report(federation, pool):
    p = pool_position(pool)
    # then the counters are summed over agencies, and use is unknown (None), not zero
    assert (p.owned, p.capacity, p.quotas, p.reserve, p.held, p.assigned) == (10, 13, 9, 1, 9, 4)
    assert (p.used, p.assigned_unused, p.unused_days, p.usage_imported_at) == (
        None,
        None,
        None,
        None,
    )
    assert (p.over_or_under, p.true_up_in_use) == (1, 0)


def test_a_pool_position_after_a_usage_report(federation, pool):
    # given a report: anna used lately, bo long ago, dora lately
    import_usage(
        federation.user("cat"),
        pool.pk,
        "email,last_used\n"
        f"anna@alfa.example,{days_ago(1)}\nbo@alfa.example,{days_ago(61)}\n"
        f"dora@beta.example,{today()}\n",
    )
    p = pool_position(pool)
    # then used = anna + dora; unused = bo (cilla's seat is 5 days old: not unused yet)
    assert (p.used, p.assigned_unused, p.unused_days) == (2, 1, 60)
    assert p.usage_imported_at is not None
    # when a later report finds nobody
    import_usage(federation.user("cat"), pool.pk, "email,last_used\n")
    # then the position follows the latest report
    p = pool_position(pool)
    assert (p.used, p.assigned_unused) == (2, 1)  # the dates set before still stand


def test_a_pool_in_true_up_is_over(federation, pool):
    # given alpha holding 3 more seats than the pool owns
    pool.quotas.filter(agency=federation.alpha).update(held_seats=11)
    p = pool_position(pool)
    assert (p.held, p.over_or_under, p.true_up_in_use) == (13, -3, 3)


def test_agency_positions_are_their_own_counts(federation, pool):
    import_usage(
        federation.user("cat"),
        pool.pk,
        f"email,last_used\nanna@alfa.example,{days_ago(1)}\nbo@alfa.example,{days_ago(61)}\n",
    )
    alpha = agency_position(pool, federation.alpha)
    beta = agency_position(pool.pk, federation.beta)
    # then alpha holds 2 over its quota, beta 2 under; use is per agency
    assert (alpha.quota, alpha.held, alpha.assigned, alpha.over_quota, alpha.under_quota) == (
        5,
        7,
        3,
        2,
        0,
    )
    assert (alpha.used, alpha.assigned_unused) == (1, 1)
    assert (beta.quota, beta.held, beta.assigned, beta.over_quota, beta.under_quota) == (
        4,
        2,
        1,
        0,
        2,
    )
    assert (beta.used, beta.assigned_unused) == (0, 1)  # dora: 100 days, never reported


def test_an_agency_without_a_quota_has_a_zero_position(federation):
    other = make_pool(product="Ritprogram", total=4)
    p = agency_position(other, federation.beta)
    assert (p.quota, p.held, p.assigned, p.over_quota, p.under_quota, p.used) == (
        0,
        0,
        0,
        0,
        0,
        None,
    )


def queries(ctx) -> list[str]:
    """The statements run, without django-tenants' search_path settings."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]


def _pools(federation, n):
    pools = []
    for i in range(n):
        p = make_pool(product=f"Produkt {i}", total=10)
        give_quota(p, federation.alpha, quota=3, held=3)
        give_quota(p, federation.beta, quota=2, held=1)
        give_seat(p, federation.alpha, f"p{i}@alfa.example")
        import_usage(
            federation.user("cat"), p.pk, f"email,last_used\np{i}@alfa.example,{today()}\n"
        )
        pools.append(p)
    return pools


def test_positions_of_many_pools_cost_one_query(federation):
    pools = _pools(federation, 4)
    # when positions of one pool, then of four, are read
    with CaptureQueriesContext(connection) as one:
        single = pool_positions(pools[:1])
    with CaptureQueriesContext(connection) as four:
        several = pool_positions(pools)
        mine = agency_positions(pools, federation.alpha)
    # then the cost does not grow (one query each), and no agency schema is read
    assert len(queries(one)) == 1
    assert len(queries(four)) == 2
    assert single[pools[0].pk] == several[pools[0].pk]
    assert [(p.held, p.assigned, p.used) for p in several.values()] == [(4, 1, 1)] * 4
    assert [(p.quota, p.held, p.used) for p in mine.values()] == [(3, 3, 1)] * 4
    paths = {q["sql"] for q in four.captured_queries if q["sql"].startswith("SET search_path")}
    assert paths <= {'SET search_path = "public"'}


def test_graphql_compliance_of_an_annotated_list_costs_no_query_per_pool(federation):
    pools = _pools(federation, 3)
    listed = list(with_pool_compliance(LicencePool.objects.filter(pk__in=[p.pk for p in pools])))
    mine = list(
        with_agency_compliance(
            LicencePool.objects.filter(pk__in=[p.pk for p in pools]), federation.alpha
        )
    )
    # when the compliance types are built for each pool of the loaded lists
    with CaptureQueriesContext(connection) as ctx:
        positions = [pool_compliance_of(p) for p in listed]
        own = [agency_compliance_of(p, federation.alpha) for p in mine]
    # then no query was needed, and the values are those of the compliance functions
    assert len(queries(ctx)) == 0
    assert [(c.owned, c.held, c.assigned, c.used, c.over_or_under) for c in positions] == [
        (10, 4, 1, 1, 6)
    ] * 3
    assert [(c.quota, c.held, c.used, c.over_quota, c.under_quota) for c in own] == [
        (3, 3, 1, 0, 0)
    ] * 3
    # and without annotations each costs one query, with the same values
    with CaptureQueriesContext(connection) as ctx:
        plain = pool_compliance_of(pools[0])
        beta = agency_compliance_of(pools[0], federation.beta)
    assert len(queries(ctx)) == 2
    assert (plain.held, plain.used, beta.held, beta.used, beta.under_quota) == (4, 1, 1, 0, 1)
