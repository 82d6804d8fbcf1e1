"""Issue 20 through GraphQL: accepting the undisputed lines while disputing the rest in one
mutation, the statement's reference, and every adjustment on its lines (reason, who)."""

import pytest
from graphql_relay import to_global_id

from services.costs.models import AllocationLine, Dispute, Statement
from tests.graphql import gql

pytestmark = pytest.mark.django_db

ACCEPT = """mutation($p: ID!, $d: [LineDisputeInput!]) {
  acceptStatement(period: $p, disputes: $d) {
    statement { state reference totalOre } errors { field code message } } }"""
RESOLVE = """mutation($d: ID!, $why: String!, $a: Ore) {
  resolveDispute(dispute: $d, resolution: ADJUST, reason: $why, amountOre: $a) {
    dispute { state } errors { field code message } } }"""
LINES = """query($p: ID!) { allocationLines(period: $p, first: 50) { edges { node {
  agency { slug } poolName amountOre computedOre adjustmentOre
  adjustments { amountOre reason madeBy madeAt disputeId } } } } }"""
STATEMENTS = """query($p: ID!) { costStatements(period: $p, first: 10) { edges { node {
  agency { slug } state reference } } } }"""


def test_accept_with_disputes_then_adjustments_show_on_both_agencies(published, federation):
    period, alpha = published.period, federation.alpha
    line = AllocationLine.objects.get(pool=published.servers, agency=alpha)
    # when alpha's admin accepts, disputing its servers line in the same mutation
    result = gql(
        ACCEPT,
        {
            "p": to_global_id("CostPeriod", period.pk),
            "d": [{"line": to_global_id("AllocationLine", line.pk), "comment": "Moved out"}],
        },
        agency=alpha,
        user=federation.user("alpha-admin"),
    )
    payload = result.data["acceptStatement"]
    assert payload["errors"] == []
    assert payload["statement"]["state"] == "PARTLY_ACCEPTED"
    assert payload["statement"]["reference"] == "KF-2026-03-ALPHA"
    # and finance adjusts the line to 250 kr
    dispute = Dispute.objects.get()
    fin = federation.user("fin")
    resolved = gql(
        RESOLVE,
        {"d": to_global_id("CostDispute", dispute.pk), "why": "Half the month", "a": 25000},
        user=fin,
    )
    assert resolved.data["resolveDispute"]["errors"] == []
    # then finance sees the adjustment on both lines, with the reason and who made it
    lines = gql(LINES, {"p": to_global_id("CostPeriod", period.pk)}, user=fin).data
    servers = {
        e["node"]["agency"]["slug"]: e["node"]
        for e in lines["allocationLines"]["edges"]
        if e["node"]["poolName"] == "Servers"
    }
    assert [
        (a["amountOre"], a["reason"], a["madeBy"]) for a in servers["alpha"]["adjustments"]
    ] == [(-5000, "Half the month", "fin")]
    assert [a["amountOre"] for a in servers["beta"]["adjustments"]] == [5000]
    assert servers["beta"]["adjustments"][0]["disputeId"] == to_global_id("CostDispute", dispute.pk)
    # and alpha's admin sees its own adjustment on its host
    own = gql(
        LINES,
        {"p": to_global_id("CostPeriod", period.pk)},
        agency=alpha,
        user=federation.user("alpha-admin"),
    ).data["allocationLines"]["edges"]
    assert {e["node"]["agency"]["slug"] for e in own} == {"alpha"}
    assert any(e["node"]["adjustments"] for e in own)
    assert Statement.objects.get(period=period, agency=alpha).state == "published"


def test_statements_carry_their_reference(published, federation):
    result = gql(
        STATEMENTS,
        {"p": to_global_id("CostPeriod", published.period.pk)},
        user=federation.user("fin"),
    )
    refs = {
        e["node"]["agency"]["slug"]: e["node"]["reference"]
        for e in result.data["costStatements"]["edges"]
    }
    assert refs == {"alpha": "KF-2026-03-ALPHA", "beta": "KF-2026-03-BETA"}
