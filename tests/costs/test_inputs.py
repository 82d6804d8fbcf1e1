"""Bad input names the field and the reason, and writes nothing."""

import datetime as dt

import pytest
from graphql_relay import to_global_id

from services.costs.models import AllocationKey, CostPool, KeyVersion, Period
from tests.costs import builders as b
from tests.graphql import gql

pytestmark = pytest.mark.django_db

ADD_VERSION = """mutation($k: ID!, $v: Date!, $m: AllocationMethod!, $d: CostDriverKind,
  $w: [KeyWeightInput!], $x: [ID!]) {
  addKeyVersion(key: $k, validFrom: $v, method: $m, driverKind: $d, weights: $w,
                excludedAgencies: $x) { key { id } errors { field code } } }"""
CREATE_POOL = """mutation($p: ID!, $i: CostPoolInput!) {
  createCostPool(period: $p, input: $i) { pool { id } errors { field code } } }"""


def gid(type_name, pk):
    return to_global_id(type_name, pk)


def _version(federation, **variables):
    key = AllocationKey.objects.get_or_create(name="K")[0]
    before = KeyVersion.objects.count()
    result = gql(
        ADD_VERSION,
        {"k": gid("AllocationKey", key.pk), "v": "2026-05-01", **variables},
        user=federation.user("fin"),
    ).data["addKeyVersion"]
    assert KeyVersion.objects.count() == before + (0 if result["errors"] else 1)
    return result["errors"]


def test_key_versions_refuse_bad_weights_and_agencies(federation):
    alpha = gid("Agency", federation.alpha.pk)
    central = gid("Agency", federation.central.pk)  # not a member agency
    cases = [
        ({"m": "FIXED", "w": []}, [("weights", "REQUIRED")]),
        ({"m": "FIXED", "w": [{"agency": alpha, "weight": "0"}]}, [("weights", "WEIGHTS_ZERO")]),
        (
            {"m": "FIXED", "w": [{"agency": alpha, "weight": "-1"}]},
            [("weights.0.weight", "NEGATIVE")],
        ),
        (
            {"m": "FIXED", "w": [{"agency": central, "weight": "1"}]},
            [("weights", "UNKNOWN_AGENCY")],
        ),
        (
            {"m": "FIXED", "w": [{"agency": "nonsense", "weight": "1"}]},
            [("weights.0.agency", "NOT_FOUND")],
        ),
        ({"m": "FIXED", "w": [{"agency": alpha, "weight": "1"}] * 2}, [("weights", "DUPLICATE")]),
        ({"m": "DRIVER"}, [("driverKind", "REQUIRED")]),
        ({"m": "DRIVER", "d": "BUDGET"}, [("driverKind", "INVALID")]),
        ({"m": "EVEN", "d": "HEADCOUNT"}, [("driverKind", "INVALID")]),
        ({"m": "EVEN", "x": [central]}, [("excludedAgencies", "UNKNOWN_AGENCY")]),
    ]
    for variables, expected in cases:
        # when finance adds a version with bad input, then the error names the field
        got = [(e["field"], e["code"]) for e in _version(federation, **variables)]
        assert got == expected, variables
    # and a good one goes through
    assert _version(federation, m="FIXED", w=[{"agency": alpha, "weight": "0.5"}]) == []
    assert _version(federation, m="FIXED", w=[{"agency": alpha, "weight": "1"}]) == [
        {"field": "validFrom", "code": "DUPLICATE"}
    ]


def test_a_version_cannot_start_in_or_before_a_closed_period(federation):
    # given March closed
    b.period(dt.date(2026, 3, 1), state="closed")
    # when a version from March (or before) is added, then it is refused; April is fine
    for month, expected in (
        ("2026-03-01", [{"field": "validFrom", "code": "PERIOD_CLOSED"}]),
        ("2026-01-01", [{"field": "validFrom", "code": "PERIOD_CLOSED"}]),
        ("2026-04-01", []),
    ):
        key = AllocationKey.objects.create(name=f"K{month}")
        result = gql(
            ADD_VERSION,
            {"k": gid("AllocationKey", key.pk), "v": month, "m": "EVEN"},
            user=federation.user("fin"),
        ).data["addKeyVersion"]
        assert result["errors"] == expected


def test_pools_refuse_bad_amounts_categories_refs_and_closed_periods(federation):
    open_period = b.period()
    closed = b.period(dt.date(2026, 2, 1), state="closed")
    key = gid("AllocationKey", b.key("Even", "even").pk)
    good = {"name": "Servers", "category": "INFRASTRUCTURE", "amountOre": 100, "key": key}
    cases = [
        (open_period, {**good, "amountOre": -1}, [("amountOre", "NEGATIVE")]),
        (open_period, {**good, "name": "  "}, [("name", "REQUIRED")]),
        (open_period, {**good, "category": "CORRECTION"}, [("category", "INVALID")]),
        (open_period, {**good, "service": gid("Service", 999999)}, [("service", "NOT_FOUND")]),
        (open_period, {**good, "key": gid("Offering", 1)}, [("input.key", "NOT_FOUND")]),
        (closed, good, [("period", "PERIOD_CLOSED")]),
    ]
    for period, data, expected in cases:
        result = gql(
            CREATE_POOL, {"p": gid("CostPeriod", period.pk), "i": data}, user=federation.user("fin")
        ).data["createCostPool"]
        assert [(e["field"], e["code"]) for e in result["errors"]] == expected, data
    assert CostPool.objects.count() == 0
    ok = gql(
        CREATE_POOL,
        {"p": gid("CostPeriod", open_period.pk), "i": good},
        user=federation.user("fin"),
    )
    assert ok.data["createCostPool"]["errors"] == []


def test_a_month_has_one_period(federation):
    q = (
        'mutation { createCostPeriod(month: "2026-07-09") { period { month } '
        "errors { field code } } }"
    )
    first = gql(q, user=federation.user("fin")).data["createCostPeriod"]
    again = gql(q, user=federation.user("fin")).data["createCostPeriod"]
    assert first == {"period": {"month": "2026-07-01"}, "errors": []}
    assert again == {"period": None, "errors": [{"field": "month", "code": "DUPLICATE"}]}
    assert Period.objects.filter(month="2026-07-01").count() == 1


def test_statement_actions_refuse_bad_states_and_missing_reasons(published, federation):
    from django.core.exceptions import ValidationError

    from services.costs.actions import dispute_line, resolve_dispute
    from services.costs.models import AllocationLine

    line = AllocationLine.objects.get(pool=published.servers, agency=federation.alpha)
    with pytest.raises(ValidationError) as empty:
        dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "  ")
    assert empty.value.error_dict["comment"][0].code == "required"
    dispute = dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Why?")
    for kwargs, field, code in (
        ({"resolution": "reject", "reason": ""}, "reason", "required"),
        ({"resolution": "adjust", "reason": "ok"}, "amountOre", "required"),
        ({"resolution": "adjust", "reason": "ok", "amount_ore": -1}, "amountOre", "negative"),
        ({"resolution": "maybe", "reason": "ok"}, "resolution", "invalid"),
        # 1 000 kr more would push beta's 700 kr line below zero
        ({"resolution": "adjust", "reason": "ok", "amount_ore": 200_001}, "amountOre", "invalid"),
    ):
        with pytest.raises(ValidationError) as err:
            resolve_dispute(federation.user("fin"), dispute.pk, **kwargs)
        assert (list(err.value.error_dict), err.value.error_dict[field][0].code) == ([field], code)
    assert sorted(
        AllocationLine.objects.filter(pool=published.servers).values_list("amount_ore", flat=True)
    ) == [30000, 70000]
