"""End to end through GraphQL: finance builds a month, runs it (polling the run), publishes;
an agency admin disputes a line; finance adjusts it and closes; a correction follows."""

import pytest
from graphql_relay import to_global_id

from services.costs.models import (
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    Period,
    Statement,
)
from tests.graphql import gql

pytestmark = pytest.mark.django_db


def gid(type_name, pk):
    return to_global_id(type_name, pk)


CREATE_PERIOD = (
    "mutation($m: Date!) { createCostPeriod(month: $m) { period { id state } "
    "errors { field code } } }"
)
CREATE_KEY = (
    "mutation($n: String!) { createAllocationKey(name: $n) { key { id } errors { field code } } }"
)
ADD_VERSION = """mutation($k: ID!, $v: Date!, $m: AllocationMethod!, $d: CostDriverKind,
  $w: [KeyWeightInput!], $x: [ID!]) {
  addKeyVersion(key: $k, validFrom: $v, method: $m, driverKind: $d, weights: $w,
                excludedAgencies: $x) {
    key { name versions { validFrom method driverKind weights { agency { slug } weight } } }
    errors { field code message }
  }
}"""
CREATE_POOL = """mutation($p: ID!, $i: CostPoolInput!) {
  createCostPool(period: $p, input: $i) { pool { id name amountOre category }
    errors { field code message } }
}"""
RUN = (
    "mutation($p: ID!) { runAllocation(period: $p) { run { id state progress } errors { code } } }"
)
POLL = "query($id: ID!) { allocationRun(id: $id) { state progress lines checksum error } }"
SNAPSHOT = "mutation($p: ID!) { snapshotCostDrivers(period: $p) { agencies errors { code } } }"
PUBLISH = (
    "mutation($p: ID!) { publishStatement(period: $p) { period { state } "
    "errors { field code message } } }"
)
LINES = """query($p: ID!) { allocationLines(period: $p, first: 50) { totalCount edges { node {
  id agency { slug } poolName sourceReference keyName method driverKind driverValue share
  amountOre } } } }"""
DISPUTE = """mutation($l: ID!, $c: String!) { disputeLine(line: $l, comment: $c) {
  dispute { id state comment } errors { field code } } }"""
RESOLVE = """mutation($d: ID!, $r: CostDisputeResolution!, $why: String!, $a: Ore) {
  resolveDispute(dispute: $d, resolution: $r, reason: $why, amountOre: $a) {
    dispute { state adjustedAmountOre resolutionReason } errors { field code message } } }"""
ACCEPT = (
    "mutation($p: ID!) { acceptStatement(period: $p) { statement { state totalOre } "
    "errors { field code } } }"
)
CLOSE = "mutation($p: ID!) { closePeriod(period: $p) { period { state } errors { field code } } }"
CORRECT = """mutation($l: ID!, $a: Ore!, $why: String!) {
  bookCorrection(line: $l, amountOre: $a, reason: $why) {
    pool { name amountOre category correctsLineId period { month } } errors { field code } } }"""


def test_a_month_from_pools_to_a_closed_period(federation, django_capture_on_commit_callbacks):
    fin, alpha, beta = federation.user("fin"), federation.alpha, federation.beta
    # given finance creates March, a 30/70 key and a pool of 1 000 kr
    period = gql(CREATE_PERIOD, {"m": "2026-03-17"}, user=fin).data["createCostPeriod"]["period"]
    assert period["state"] == "OPEN"
    key = gql(CREATE_KEY, {"n": "Servers"}, user=fin).data["createAllocationKey"]["key"]["id"]
    version = gql(
        ADD_VERSION,
        {
            "k": key,
            "v": "2026-01-01",
            "m": "FIXED",
            "w": [
                {"agency": gid("Agency", alpha.pk), "weight": "30"},
                {"agency": gid("Agency", beta.pk), "weight": "70"},
            ],
        },
        user=fin,
    ).data["addKeyVersion"]
    assert version["errors"] == []
    assert version["key"]["versions"][0]["weights"] == [
        {"agency": {"slug": "alpha"}, "weight": "30.0000"},
        {"agency": {"slug": "beta"}, "weight": "70.0000"},
    ]
    pool = gql(
        CREATE_POOL,
        {
            "p": period["id"],
            "i": {
                "name": "Servers",
                "category": "INFRASTRUCTURE",
                "amountOre": 100000,
                "key": key,
                "sourceReference": "INV-77",
            },
        },
        user=fin,
    ).data["createCostPool"]
    assert pool["errors"] == []
    # and snapshots the drivers through the fan-out (one task per agency)
    with django_capture_on_commit_callbacks(execute=True):
        snap = gql(SNAPSHOT, {"p": period["id"]}, user=fin).data["snapshotCostDrivers"]
    assert snap == {"agencies": 2, "errors": []}
    # when finance runs the allocation and polls the run
    with django_capture_on_commit_callbacks(execute=True):
        run = gql(RUN, {"p": period["id"]}, user=fin).data["runAllocation"]["run"]
    assert (run["state"], run["progress"]) == ("QUEUED", 0)
    polled = gql(POLL, {"id": run["id"]}, user=fin).data["allocationRun"]
    # then the run is done with two traceable lines
    assert (polled["state"], polled["progress"], polled["lines"], polled["error"]) == (
        "DONE",
        100,
        2,
        "",
    )
    lines = gql(LINES, {"p": period["id"]}, user=fin).data["allocationLines"]["edges"]
    assert [
        (n["node"]["agency"]["slug"], n["node"]["amountOre"], n["node"]["share"]) for n in lines
    ] == [("alpha", 30000, "0.300000000000"), ("beta", 70000, "0.700000000000")]
    assert lines[0]["node"]["sourceReference"] == "INV-77"
    assert (lines[0]["node"]["keyName"], lines[0]["node"]["method"]) == ("Servers", "FIXED")
    # when finance publishes, the period is preliminary and each agency has a statement
    published = gql(PUBLISH, {"p": period["id"]}, user=fin).data["publishStatement"]
    assert published == {"period": {"state": "PRELIMINARY"}, "errors": []}
    # and alpha's admin disputes alpha's line on alpha's host
    alpha_line = lines[0]["node"]["id"]
    dispute = gql(
        DISPUTE,
        {"l": alpha_line, "c": "We left the server hall in February."},
        agency=alpha,
        user=federation.user("alpha-admin"),
    ).data["disputeLine"]
    assert dispute["errors"] == [] and dispute["dispute"]["state"] == "OPEN"
    # then closing is refused while the dispute is open
    refused = gql(CLOSE, {"p": period["id"]}, user=fin).data["closePeriod"]
    assert refused["errors"] == [{"field": "period", "code": "OPEN_DISPUTES"}]
    # when finance adjusts alpha's line to 200 kr, the difference goes to beta: 800 kr
    resolved = gql(
        RESOLVE,
        {"d": dispute["dispute"]["id"], "r": "ADJUST", "why": "Moved out 15 Feb.", "a": 20000},
        user=fin,
    ).data["resolveDispute"]
    assert resolved["dispute"] == {
        "state": "ADJUSTED",
        "adjustedAmountOre": 20000,
        "resolutionReason": "Moved out 15 Feb.",
    }
    amounts = dict(
        AllocationLine.objects.filter(pool__name="Servers", period__month="2026-03-01").values_list(
            "agency__slug", "amount_ore"
        )
    )
    assert amounts == {"alpha": 20000, "beta": 80000}
    # and alpha accepts; finance closes
    accepted = gql(
        ACCEPT, {"p": period["id"]}, agency=alpha, user=federation.user("alpha-admin")
    ).data["acceptStatement"]
    assert accepted == {"statement": {"state": "ACCEPTED", "totalOre": 20000}, "errors": []}
    assert gql(CLOSE, {"p": period["id"]}, user=fin).data["closePeriod"]["period"] == {
        "state": "CLOSED"
    }
    # then a new pool in March is refused, naming the period
    late = gql(
        CREATE_POOL,
        {
            "p": period["id"],
            "i": {"name": "Late", "category": "PROCUREMENT", "amountOre": 1, "key": key},
        },
        user=fin,
    ).data["createCostPool"]
    assert [(e["field"], e["code"]) for e in late["errors"]] == [("period", "PERIOD_CLOSED")]
    # and a correction of alpha's line goes into the next open period (April), referencing it
    none_open = gql(CORRECT, {"l": alpha_line, "a": -5000, "why": "Credit"}, user=fin)
    assert none_open.data["bookCorrection"]["errors"] == [
        {"field": "line", "code": "NO_OPEN_PERIOD"}
    ]
    gql(CREATE_PERIOD, {"m": "2026-04-01"}, user=fin)
    corrected = gql(CORRECT, {"l": alpha_line, "a": -5000, "why": "Credit"}, user=fin).data[
        "bookCorrection"
    ]
    assert corrected["errors"] == []
    assert corrected["pool"]["amountOre"] == -5000
    assert corrected["pool"]["category"] == "CORRECTION"
    assert corrected["pool"]["correctsLineId"] == alpha_line
    assert corrected["pool"]["period"]["month"] == "2026-04-01"


def test_a_correction_is_split_onto_the_corrected_agency_only(published, federation):
    from services.costs.actions import book_correction, close_period
    from tests.costs.builders import members, period
    from tests.costs.conftest import run_now

    # given March closed and April open with both agencies
    fin = federation.user("fin")
    close_period(fin, published.period.pk)
    april = period(published.period.month.replace(month=4))
    members(april, [federation.alpha.pk, federation.beta.pk])
    line = AllocationLine.objects.get(pool=published.servers, agency=federation.beta)
    # when finance books a credit of 12.34 kr to beta's line and runs April
    book_correction(fin, line.pk, -1234, "Double-billed")
    run_now(april)
    # then April has one line, for beta, of -12.34 kr, tracing back to March's line
    got = list(
        AllocationLine.objects.filter(period=april).values_list(
            "agency_id", "amount_ore", "pool__corrects_id", "key_version_id"
        )
    )
    assert got == [(federation.beta.pk, -1234, line.pk, None)]


def test_running_is_refused_once_published(published, federation):
    # given a published period, when finance asks for a run, then it is refused
    fin = federation.user("fin")
    result = gql(RUN, {"p": gid("CostPeriod", published.period.pk)}, user=fin).data["runAllocation"]
    assert result == {"run": None, "errors": [{"code": "INVALID_STATE"}]}
    assert AllocationRun.objects.filter(period=published.period).count() == 1


def test_publishing_refuses_pools_changed_since_the_run(split, federation):
    # given a pool whose amount changed after the run
    CostPool.objects.filter(pk=split.staff.pk).update(amount_ore=1)
    # when finance publishes, then it is refused, naming the pool
    result = gql(PUBLISH, {"p": gid("CostPeriod", split.period.pk)}, user=federation.user("fin"))
    errors = result.data["publishStatement"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("period", "NOT_RUN")]
    assert "Support staff" in errors[0]["message"]
    assert Period.objects.get(pk=split.period.pk).state == "open"
    assert Statement.objects.filter(period=split.period).count() == 0


def test_an_adjustment_keeps_the_pool_exact_and_reopens_accepted_statements(published, federation):
    from services.costs.actions import accept_statement, dispute_line, resolve_dispute

    # given beta accepted, and alpha disputes its staff line (33.34 kr of 100.01 kr)
    accept_statement(federation.user("beta-admin"), federation.beta, published.period.pk)
    line = AllocationLine.objects.get(pool=published.staff, agency=federation.alpha)
    assert line.amount_ore == 3334
    dispute = dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Too much")
    # when finance raises it to 50 kr
    resolve_dispute(federation.user("fin"), dispute.pk, "adjust", "Agreed", 5000)
    # then the pool still sums to 100.01 kr, beta's line took the difference, and beta's
    # accepted statement is published again for its admin to see
    lines = dict(
        AllocationLine.objects.filter(pool=published.staff).values_list("agency_id", "amount_ore")
    )
    assert lines == {federation.alpha.pk: 5000, federation.beta.pk: 5001}
    assert sum(lines.values()) == published.staff.amount_ore
    beta_line = AllocationLine.objects.get(pool=published.staff, agency=federation.beta)
    assert (beta_line.computed_ore, beta_line.adjustment_ore) == (6667, -1666)
    assert (
        Statement.objects.get(period=published.period, agency=federation.beta).state == "published"
    )
    assert Dispute.objects.get(pk=dispute.pk).state == "adjusted"
