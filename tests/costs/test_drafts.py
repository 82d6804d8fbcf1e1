"""Drafts stay drafts: until finance publishes a month's statements, nothing of that month
reaches an agency (its lines, its report, or as "the month before" in a later report), while
finance sees everything. The month before the split's March is an open February with lines
of its own."""

import datetime as dt

import pytest
from graphql_relay import to_global_id

from services.costs.actions import publish_statements
from tests.costs import builders as b
from tests.costs.conftest import run_now
from tests.graphql import gql

pytestmark = pytest.mark.django_db

LINES = "query($p: ID!) { allocationLines(period: $p) { totalCount } }"
REPORT = """query($p: ID!, $m: Int!) { costReport(period: $p, groupBy: AGENCY, months: $m) {
  month agency { slug } amountOre previousOre } }"""


@pytest.fixture
def draft_before(split, federation):
    """February: open, with a run of its own (a draft only finance may see)."""
    february = b.period(dt.date(2026, 2, 1))
    b.drivers(february, "headcount", {federation.alpha.pk: 100, federation.beta.pk: 200})
    a, z = federation.alpha.pk, federation.beta.pk
    even = b.key("February 50/50", "fixed", weights={a: "1", z: "1"}, valid_from=february.month)
    b.pool(february, "Servers", 9_999_00, even)
    assert run_now(february).state == "done"
    return february


def _gid(period):
    return to_global_id("CostPeriod", period.pk)


def test_an_agency_sees_no_line_of_an_open_month(split, draft_before, federation):
    admin, alpha = federation.user("alpha-admin"), federation.alpha
    for period in (split.period, draft_before):
        # while finance prepares it, the agency sees no line, finance sees them all
        seen = gql(LINES, {"p": _gid(period)}, agency=alpha, user=admin)
        assert seen.data["allocationLines"]["totalCount"] == 0
        fin = gql(LINES, {"p": _gid(period)}, user=federation.user("fin"))
        assert fin.data["allocationLines"]["totalCount"] > 0
    # once March is published, its lines appear, and February's still do not
    publish_statements(federation.user("fin"), split.period.pk)
    march = gql(LINES, {"p": _gid(split.period)}, agency=alpha, user=admin)
    assert march.data["allocationLines"]["totalCount"] > 0
    february = gql(LINES, {"p": _gid(draft_before)}, agency=alpha, user=admin)
    assert february.data["allocationLines"]["totalCount"] == 0


def test_a_report_never_shows_a_draft_month_as_the_month_before(split, draft_before, federation):
    publish_statements(federation.user("fin"), split.period.pk)
    alpha = federation.alpha
    # when alpha's admin asks for March and the month before
    rows = gql(
        REPORT, {"p": _gid(split.period), "m": 2}, agency=alpha, user=federation.user("alpha-admin")
    ).data["costReport"]
    # then only March is there, with no previous amount (February is a draft)
    assert [(r["month"], r["agency"]["slug"]) for r in rows] == [("2026-03-01", "alpha")]
    assert rows[0]["previousOre"] is None
    # while finance sees February too, and March's change against it
    fin = gql(REPORT, {"p": _gid(split.period), "m": 2}, user=federation.user("fin"))
    months = {(r["month"], r["agency"]["slug"]): r for r in fin.data["costReport"]}
    assert ("2026-02-01", "alpha") in months
    assert (
        months[("2026-03-01", "alpha")]["previousOre"]
        == months[("2026-02-01", "alpha")]["amountOre"]
    )


def test_a_report_of_a_draft_month_is_unknown_to_an_agency(split, federation):
    result = gql(
        REPORT,
        {"p": _gid(split.period), "m": 1},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert result.errors[0]["extensions"]["code"] == "NOT_FOUND"
