"""Isolation both ways: an agency admin sees only their agency's statement, lines and
disputes (and the report of their agency); finance sees all; nobody else sees anything. A
denied write changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from services.costs.actions import dispute_line
from services.costs.models import AllocationKey, AllocationLine, AllocationRun, CostPool, Dispute
from tests.costs import builders as b
from tests.graphql import gql

pytestmark = pytest.mark.django_db


def gid(type_name, pk):
    return to_global_id(type_name, pk)


LINES = (
    "query($p: ID!) { allocationLines(period: $p) { totalCount edges { node { "
    "agency { slug } amountOre } } } }"
)
STATEMENTS = "{ costStatements { edges { node { agency { slug } state totalOre } } } }"
DISPUTES = "{ costDisputes { edges { node { agency { slug } comment line { amountOre } } } } }"
CENTRAL = "{ costPools { totalCount } allocationKeys { totalCount } allocationRuns { totalCount } }"
PERIODS = "{ costPeriods { totalCount } }"
REPORT = """query($p: ID!, $g: CostReportGroupBy!) { costReport(period: $p, groupBy: $g) {
  agency { slug } serviceName poolName amountOre previousOre changeOre budgetOre
  budgetDifferenceOre } }"""


def _slugs(edges):
    return sorted(e["node"]["agency"]["slug"] for e in edges)


def test_agency_admins_see_their_own_lines_and_statements_only(published, federation):
    period = gid("CostPeriod", published.period.pk)
    for slug, other in (("alpha", "beta"), ("beta", "alpha")):
        agency, user = getattr(federation, slug), federation.user(f"{slug}-admin")
        # given the admin of one agency on its host
        # when they list the period's lines and the statements
        lines = gql(LINES, {"p": period}, agency=agency, user=user).data["allocationLines"]
        statements = gql(STATEMENTS, agency=agency, user=user).data["costStatements"]["edges"]
        # then only their own agency's rows come back
        assert _slugs(lines["edges"]) == [slug, slug]
        assert lines["totalCount"] == 2
        assert _slugs(statements) == [slug]
        assert other not in str(lines) + str(statements)
    # and finance on the central host sees both
    fin = gql(LINES, {"p": period}, user=federation.user("fin")).data["allocationLines"]
    assert fin["totalCount"] == 4


def test_others_see_no_lines_statements_or_central_rows(published, federation):
    period = gid("CostPeriod", published.period.pk)
    # beta's admin, and finance, are turned away from alpha's host before GraphQL runs
    for username in ("beta-admin", "fin"):
        away = gql(LINES, {"p": period}, agency=federation.alpha, user=federation.user(username))
        assert (away.status, away.data) == (403, None)
    for agency, username in (
        (federation.alpha, "alpha-staff"),
        (None, "alpha-admin"),  # an agency admin on the central host
        (None, "desk"),
        (None, "nobody"),
    ):
        user = federation.user(username)
        assert (
            gql(LINES, {"p": period}, agency=agency, user=user).data["allocationLines"][
                "totalCount"
            ]
            == 0
        ), username
        assert gql(STATEMENTS, agency=agency, user=user).data["costStatements"]["edges"] == []
        central = gql(CENTRAL, agency=agency, user=user).data
        assert [v["totalCount"] for v in central.values()] == [0, 0, 0], username
    # and an agency admin sees the periods but not the pools, keys and runs
    admin = federation.user("alpha-admin")
    assert gql(PERIODS, agency=federation.alpha, user=admin).data["costPeriods"]["totalCount"] == 1
    assert [
        v["totalCount"] for v in gql(CENTRAL, agency=federation.alpha, user=admin).data.values()
    ] == [0, 0, 0]
    root = gql(CENTRAL, user=federation.user("root")).data
    assert [v["totalCount"] for v in root.values()] == [2, 2, 1]


def test_disputes_are_seen_by_their_agency_and_finance_only(published, federation):
    # given a dispute by alpha
    line = AllocationLine.objects.get(pool=published.servers, agency=federation.alpha)
    dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Wrong share")
    # then alpha's admin and finance see it; beta's admin does not
    seen = {
        "alpha": gql(DISPUTES, agency=federation.alpha, user=federation.user("alpha-admin")),
        "beta": gql(DISPUTES, agency=federation.beta, user=federation.user("beta-admin")),
        "fin": gql(DISPUTES, user=federation.user("fin")),
    }
    assert [len(r.data["costDisputes"]["edges"]) for r in seen.values()] == [1, 0, 1]
    assert seen["alpha"].data["costDisputes"]["edges"][0]["node"]["comment"] == "Wrong share"


def test_an_agency_admin_cannot_dispute_or_accept_for_another_agency(published, federation):
    alpha_line = AllocationLine.objects.get(pool=published.servers, agency=federation.alpha)
    # when beta's admin disputes alpha's line on beta's host
    result = gql(
        'mutation($l: ID!) { disputeLine(line: $l, comment: "x") { errors { field code } } }',
        {"l": gid("AllocationLine", alpha_line.pk)},
        agency=federation.beta,
        user=federation.user("beta-admin"),
    )
    # then it is unknown to them, and nothing was written
    assert result.data["disputeLine"]["errors"] == [{"field": "line", "code": "NOT_FOUND"}]
    # and beta's admin on alpha's host can accept nothing
    denied = gql(
        "mutation($p: ID!) { acceptStatement(period: $p) { errors { code } } }",
        {"p": gid("CostPeriod", published.period.pk)},
        agency=federation.alpha,
        user=federation.user("beta-admin"),
    )
    assert (denied.status, denied.data) == (403, None)
    # and alpha's staff on alpha's host may not accept alpha's statement
    staff = gql(
        "mutation($p: ID!) { acceptStatement(period: $p) { errors { code } } }",
        {"p": gid("CostPeriod", published.period.pk)},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    )
    assert staff.data["acceptStatement"]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert Dispute.objects.count() == 0
    assert set(published.period.statements.values_list("state", flat=True)) == {"published"}


@pytest.mark.parametrize("username", ["alpha-admin", "desk", "cat", "root", "nobody"])
def test_only_finance_writes_the_split(split, federation, username):
    # given someone who is not finance
    user = federation.user(username)
    period = gid("CostPeriod", split.period.pk)
    before = (
        CostPool.objects.count(),
        AllocationKey.objects.count(),
        AllocationRun.objects.count(),
    )
    # when they try to create a key, a pool, and run the period
    key = gql('mutation { createAllocationKey(name: "K") { errors { code } } }', user=user)
    pool = gql(
        """mutation($p: ID!, $k: ID!) { createCostPool(period: $p, input: {name: "P",
        category: PROCUREMENT, amountOre: 5, key: $k}) { errors { code } } }""",
        {"p": period, "k": gid("AllocationKey", split.fixed.pk)},
        user=user,
    )
    run = gql(
        "mutation($p: ID!) { runAllocation(period: $p) { errors { code } } }",
        {"p": period},
        user=user,
    )
    # then each is denied and nothing was written
    for result, name in (
        (key, "createAllocationKey"),
        (pool, "createCostPool"),
        (run, "runAllocation"),
    ):
        assert result.data[name]["errors"] == [{"code": "PERMISSION_DENIED"}]
    assert (
        CostPool.objects.count(),
        AllocationKey.objects.count(),
        AllocationRun.objects.count(),
    ) == before


def test_the_report_shows_finance_every_agency_and_an_admin_their_own(split, federation):
    period = gid("CostPeriod", split.period.pk)
    # given March run (servers 300/700 kr, staff 33.34/66.67 kr) and no earlier period
    fin = gql(REPORT, {"p": period, "g": "AGENCY"}, user=federation.user("fin")).data["costReport"]
    # then finance sees both agencies with their budgets
    assert fin == [
        {
            "agency": {"slug": slug},
            "serviceName": None,
            "poolName": None,
            "amountOre": amount,
            "previousOre": None,
            "changeOre": None,
            "budgetOre": budget,
            "budgetDifferenceOre": budget - amount,
        }
        for slug, amount, budget in (("alpha", 33334, 500000), ("beta", 76667, 900000))
    ]
    # and alpha's admin sees nothing of the month before finance publishes it
    early = gql(
        REPORT,
        {"p": period, "g": "POOL"},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert early.errors[0]["extensions"]["code"] == "NOT_FOUND"
    from services.costs.actions import publish_statements

    publish_statements(federation.user("fin"), split.period.pk)
    # and after it, alpha's admin sees alpha only, also when grouping by pool
    mine = gql(
        REPORT,
        {"p": period, "g": "POOL"},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    ).data["costReport"]
    assert sorted((r["poolName"], r["amountOre"]) for r in mine) == [
        ("Servers", 30000),
        ("Support staff", 3334),
    ]
    # and staff or other central roles get an error, no rows
    for agency, username in ((federation.alpha, "alpha-staff"), (None, "desk")):
        denied = gql(
            REPORT, {"p": period, "g": "AGENCY"}, agency=agency, user=federation.user(username)
        )
        assert denied.data is None or denied.data.get("costReport") is None
        assert denied.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_the_line_list_keeps_a_constant_number_of_queries(federation):
    # given two periods, one with 2 agencies' lines and one with 10
    from tests.costs.conftest import run_now

    agencies = [federation.alpha.pk, federation.beta.pk] + [a.pk for a in b.bare_agencies(8)]
    k = b.key("Even", "even", valid_from=b.MONTH.replace(month=1))
    counts = []
    for month, members in ((1, agencies[:2]), (2, agencies)):
        per = b.period(b.MONTH.replace(month=month))
        b.members(per, members)
        b.pool(per, "p", 1000, k, service=b.service(f"S{month}"))
        run_now(per)
        with CaptureQueriesContext(connection) as ctx:
            result = gql(
                "query($p: ID!) { allocationLines(period: $p) { edges { node { agency { slug } "
                "poolName keyName serviceName month amountOre } } } }",
                {"p": gid("CostPeriod", per.pk)},
                user=federation.user("fin"),
            )
        assert len(result.data["allocationLines"]["edges"]) == len(members)
        counts.append(len(ctx.captured_queries))
    # then both pages took the same number of queries
    assert counts[0] == counts[1]
