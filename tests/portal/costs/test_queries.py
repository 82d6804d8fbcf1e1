"""The lists of the cost pages keep their number of SQL queries whatever their length (2 vs
10 rows), and are paginated."""

from __future__ import annotations

import pytest

from services.costs.models import AllocationKey, AllocationLine, CostPool, Dispute
from tests.costs import builders as b
from tests.portal.client import count_queries, portal_client
from tests.portal.costs.conftest import run_now

pytestmark = pytest.mark.django_db


def _month_with(pools: int, agencies) -> object:
    """A period whose `pools` pools are split evenly over `agencies` (one line each)."""
    per = b.period()
    b.members(per, [a.pk for a in agencies])
    key = b.key("Even", "even")
    for i in range(pools):
        b.pool(per, f"Pool {i:02}", 100_00 + i, key, source_reference=f"INV-{i}")
    assert run_now(per).state == "done"
    return per


def _count(client, url):
    client.get(url)  # warm the session and the role cache
    return count_queries(lambda: client.get(url))


@pytest.mark.parametrize("list_name", ["lines", "pools"])
def test_lines_and_pools_keep_their_queries_for_2_and_10_rows(federation, list_name):
    fin = portal_client(None, federation.user("fin"))
    counts = []
    for n in (2, 10):
        per = _month_with(n, [federation.alpha])
        url = f"/costs/{per.pk}/lines/" if list_name == "lines" else f"/costs/{per.pk}/"
        queries, response = _count(fin, url)
        assert len(response.context["page"].object_list) == n
        counts.append(queries)
        AllocationLine.objects.filter(period=per).delete()
        CostPool.objects.filter(period=per).delete()
        per.drivers.all().delete()
        per.runs.all().delete()
        per.delete()
        AllocationKey.objects.all().delete()
    assert counts[0] == counts[1], counts


def test_disputes_keep_their_queries_for_2_and_10_rows(federation):
    from services.costs.actions import publish_statements

    fin = portal_client(None, federation.user("fin"))
    per = _month_with(10, [federation.alpha])
    publish_statements(federation.user("fin"), per.pk)
    lines = list(AllocationLine.objects.filter(period=per).order_by("id"))

    def raise_disputes(upto):
        for line in lines[len(Dispute.objects.all()) : upto]:
            Dispute.objects.create(
                period=per, line=line, agency=federation.alpha, comment=f"about {line.pk}"
            )

    raise_disputes(2)
    few, first = _count(fin, f"/costs/{per.pk}/disputes/")
    raise_disputes(10)
    more, second = _count(fin, f"/costs/{per.pk}/disputes/")
    assert len(first.context["page"].object_list) == 2
    assert len(second.context["page"].object_list) == 10
    assert more == few


def test_the_agency_statement_keeps_its_queries_for_2_and_10_lines(federation):
    from services.costs.actions import publish_statements

    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    counts = []
    for n in (2, 10):
        per = _month_with(n, [federation.alpha, federation.beta])
        publish_statements(federation.user("fin"), per.pk)
        queries, response = _count(admin, f"/costs/{per.pk}/")
        assert len(response.context["page"].object_list) == n
        counts.append(queries)
        per.statements.all().delete()
        AllocationLine.objects.filter(period=per).delete()
        CostPool.objects.filter(period=per).delete()
        per.drivers.all().delete()
        per.runs.all().delete()
        per.delete()
        AllocationKey.objects.all().delete()
    assert counts[0] == counts[1], counts


def test_the_lines_are_paginated(federation):
    fin = portal_client(None, federation.user("fin"))
    per = _month_with(26, [federation.alpha])
    first = fin.get(f"/costs/{per.pk}/lines/")
    assert len(first.context["page"].object_list) == 25
    second = fin.get(f"/costs/{per.pk}/lines/?agency=alpha&page=2")
    assert len(second.context["page"].object_list) == 1
    assert 'href="?agency=alpha&amp;page=1"' in second.content.decode()
    pools = fin.get(f"/costs/{per.pk}/?page=2")
    assert len(pools.context["page"].object_list) == 1
