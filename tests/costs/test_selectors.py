"""Lines for the exporters (one query) and the cost report's trend and budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.costs.actions import publish_statements
from services.costs.models import AllocationLine
from services.costs.selectors import GroupBy, cost_report, lines_for_export
from tests.costs import builders as b
from tests.costs.conftest import run_now

pytestmark = pytest.mark.django_db


def test_lines_for_export_carry_the_trace_in_one_query(split, federation):
    # given March run (servers by 30/70, staff by headcount)
    # when the exporters ask for beta's lines
    with CaptureQueriesContext(connection) as ctx:
        lines = lines_for_export(split.period, federation.beta)
    # then one query returns them with pool, key, version and driver
    selects = [q for q in ctx.captured_queries if not q["sql"].startswith("SET search_path")]
    assert len(selects) == 1
    assert [
        (x.agency_slug, x.pool_name, x.source_reference, x.key_name, x.key_method, x.driver_kind)
        for x in lines
    ] == [
        ("beta", "Servers", "INV-1001", "Servers 30/70", "fixed", ""),
        ("beta", "Support staff", "", "Headcount", "driver", "headcount"),
    ]
    assert [(str(x.driver_value), str(x.share), x.amount_ore) for x in lines] == [
        ("70.0000", "0.700000000000", 70000),
        ("200.0000", "0.666666666667", 6667),
    ]
    assert len(lines_for_export(split.period)) == 4


def test_the_report_compares_with_the_previous_period(split, federation):
    # given April with the servers pool doubled
    april = b.period(split.period.month.replace(month=4))
    b.drivers(april, "headcount", {federation.alpha.pk: 100, federation.beta.pk: 200})
    b.pool(april, "Servers", 2_000_00, split.fixed, service=b.service("Drift"))
    run_now(april)
    # when finance asks per pool for April and March
    rows = cost_report(april, GroupBy.POOL, months=2)
    got = [(r.month.month, r.pool_name, r.amount_ore, r.previous_ore, r.change_ore) for r in rows]
    # then April shows the trend against March (staff dropped to zero), and March has none
    assert got == [
        (4, "Servers", 200000, 100000, 100000),
        (4, "Support staff", 0, 10001, -10001),
        (3, "Servers", 100000, None, None),
        (3, "Support staff", 10001, None, None),
    ]
    # and per agency and service, alpha's admin view holds alpha only (once both months are
    # published: before that they are finance's drafts)
    assert cost_report(april, GroupBy.AGENCY_SERVICE, agency=federation.alpha) == []
    for period in (split.period, april):
        publish_statements(federation.user("fin"), period.pk)
    april.refresh_from_db()
    mine = cost_report(april, GroupBy.AGENCY_SERVICE, agency=federation.alpha)
    assert [(r.agency_slug, r.service_name, r.amount_ore, r.previous_ore) for r in mine] == [
        ("alpha", "Drift", 60000, 0),
        ("alpha", "Without service", 0, 33334),
    ]
    assert AllocationLine.objects.filter(period=april).count() == 2
