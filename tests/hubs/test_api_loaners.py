"""lendLoaner and returnLoaner: hub staff on the central host; errors name the field; agency
hosts and agency roles are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from services.hubs.models import StockItem
from tests.graphql import gql
from tests.hubs import build

pytestmark = pytest.mark.django_db

LEND = """mutation($i: LendLoanerInput!) { lendLoaner(input: $i) {
  item { serialNumber state dueBackOn agency { slug } } errors { field code } } }"""
RETURN = """mutation($s: ID!) { returnLoaner(stockItem: $s) {
  item { state dueBackOn agency { slug } } errors { field code } } }"""


def _input(item, agency, email="lena@alpha.example", days=7):
    return {
        "stockItem": to_global_id("HubStockItem", item.pk),
        "agency": to_global_id("Agency", agency.pk),
        "email": email,
        "expectedReturn": (timezone.localdate() + dt.timedelta(days=days)).isoformat(),
    }


def test_hub_staff_lend_and_take_back_through_the_api(federation, hub, hubber):
    item = build.stock(hub, "SN-API-1", "loaner")
    build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    r = gql(LEND, {"i": _input(item, federation.alpha)}, user=hubber).data["lendLoaner"]
    assert r == {
        "item": {
            "serialNumber": "SN-API-1",
            "state": "LENT",
            "dueBackOn": due,
            "agency": {"slug": "alpha"},
        },
        "errors": [],
    }
    r = gql(RETURN, {"s": to_global_id("HubStockItem", item.pk)}, user=hubber).data
    assert r["returnLoaner"] == {
        "item": {"state": "AVAILABLE", "dueBackOn": None, "agency": None},
        "errors": [],
    }


def test_errors_name_the_field(federation, hub, hubber):
    item = build.stock(hub, "SN-API-2", "loaner")
    build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    r = gql(LEND, {"i": _input(item, federation.beta)}, user=hubber).data["lendLoaner"]
    assert r == {"item": None, "errors": [{"field": "email", "code": "NOT_FOUND"}]}
    r = gql(LEND, {"i": _input(item, federation.alpha, days=-3)}, user=hubber).data
    assert r["lendLoaner"]["errors"] == [{"field": "expectedReturn", "code": "OUT_OF_RANGE"}]
    assert StockItem.objects.get(pk=item.pk).state == "available"


def test_agency_roles_and_agency_hosts_are_refused(federation, hub, hubber):
    item = build.stock(hub, "SN-API-3", "loaner")
    build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    for user, agency in (
        (federation.user("alpha-admin"), None),
        (federation.user("alpha-admin"), federation.alpha),
        (hubber, federation.alpha),
    ):
        r = gql(LEND, {"i": _input(item, federation.alpha)}, agency=agency, user=user)
        data = (r.data or {}).get("lendLoaner")
        assert data is None or data["errors"][0]["code"] == "PERMISSION_DENIED"
    assert StockItem.objects.get(pk=item.pk).state == "available"
