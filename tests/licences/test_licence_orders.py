"""Ordering a licence offering draws seats: the agency's quota, the reserve, the true-up."""

import pytest
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.licences.models import AgencyQuota
from services.ordering.models import Order
from tests.concurrency import in_thread, run_together
from tests.graphql import gql
from tests.licences.pools import build_pool
from tests.ordering.test_ordering_flow import FULFIL, PLACE, lines

pytestmark = pytest.mark.django_db


def held(pool, agency):
    return AgencyQuota.objects.get(pool=pool, agency=agency).held_seats


def place(federation, cat, seats, agency=None, who="alpha-admin"):
    agency = agency or federation.alpha
    r = gql(
        PLACE,
        {"lines": lines((cat.mail, seats), (cat.suite, seats))},
        agency=agency,
        user=federation.user(who),
    )
    return r.data["placeOrder"]


def test_an_order_draws_from_the_quota_then_the_reserve(federation):
    cat, pool = build_pool(federation, total=100, alpha_quota=30)
    payload = place(federation, cat, 40)
    assert payload["errors"] == []
    quota = AgencyQuota.objects.get(pool=pool, agency=federation.alpha)
    assert (quota.held_seats, quota.over_quota) == (40, 10)


def test_an_agency_cannot_take_another_agencys_quota(federation):
    cat, pool = build_pool(federation, total=100, alpha_quota=30, beta_quota=50)
    # alpha may have its 30 and the 20 of the reserve, not beta's 50
    payload = place(federation, cat, 51)
    assert payload["order"] is None
    assert payload["errors"][0]["field"] == "lines.1.quantity"
    assert payload["errors"][0]["code"] == "POOL_EXHAUSTED"
    assert "50 seat(s) left" in payload["errors"][0]["message"]
    assert held(pool, federation.alpha) == 0
    with schema_context("agency_alpha"):
        assert Order.objects.count() == 0
    assert place(federation, cat, 50)["errors"] == []


def test_the_true_up_allows_a_bounded_overshoot(federation):
    cat, pool = build_pool(federation, total=10, alpha_quota=10, true_up=5)
    assert place(federation, cat, 15)["errors"] == []
    assert place(federation, cat, 1)["errors"][0]["code"] == "POOL_EXHAUSTED"
    assert held(pool, federation.alpha) == 15


def test_rejection_and_cancellation_give_seats_back(federation):
    cat, pool = build_pool(federation, total=100, alpha_quota=30)
    order = place(federation, cat, 20)["order"]
    central = to_global_id("AgencyOrder", f"{federation.alpha.pk}.{_pk(order['id'])}")
    reject = """mutation($id: ID!) { rejectOrder(order: $id, reason: "No") { errors { code } } }"""
    assert gql(reject, {"id": central}, user=federation.user("desk")).data["rejectOrder"] == {
        "errors": []
    }
    assert held(pool, federation.alpha) == 0
    # ordered and fulfilled, then cancelled: the seats come back at fulfilment
    order = place(federation, cat, 12)["order"]
    central = to_global_id("AgencyOrder", f"{federation.alpha.pk}.{_pk(order['id'])}")
    gql(FULFIL, {"id": central}, user=federation.user("desk"))
    assert held(pool, federation.alpha) == 12
    from services.ordering.models import Subscription

    with schema_context("agency_alpha"):
        sub = Subscription.objects.get(offering=cat.suite)
    cancel = """mutation($id: ID!) { cancelSubscription(subscription: $id)
      { order { id } errors { code } } }"""
    r = gql(
        cancel,
        {"id": to_global_id("Subscription", sub.pk)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    oid = r.data["cancelSubscription"]["order"]["id"]
    gql(
        FULFIL,
        {"id": to_global_id("AgencyOrder", f"{federation.alpha.pk}.{_pk(oid)}")},
        user=federation.user("desk"),
    )
    assert held(pool, federation.alpha) == 0


def _pk(global_id):
    from graphql_relay import from_global_id

    return int(from_global_id(global_id)[1])


def _cleanup():
    from django.db import connection

    from services.catalogue.models import Agreement, Offering, Service, Supplier
    from services.crossindex.models import IndexEntry
    from services.licences.models import LicencePool

    with connection.cursor() as cur:
        for table in ("orderevent", "orderline", "order", "subscription"):
            cur.execute(f"DELETE FROM agency_alpha.ordering_{table}")
    IndexEntry.objects.all().delete()
    LicencePool.objects.filter(product__startswith="cc ").delete()
    Offering.objects.filter(code__startswith="cc-").delete()
    Service.objects.filter(name__startswith="cc ").delete()
    Agreement.objects.filter(name__startswith="cc ").delete()
    Supplier.objects.filter(name__startswith="cc ").delete()


def test_fifty_concurrent_orders_for_the_last_ten_seats(federation):
    from services.ordering import actions, quotes

    cat, pool = in_thread(lambda: build_pool(federation, prefix="cc", total=60, alpha_quota=60))
    try:
        admin = federation.user("alpha-admin")
        # given 50 of the 60 seats already held
        in_thread(
            lambda: actions.place_order(
                federation.alpha,
                admin,
                [quotes.LineRequest(cat.mail.pk, 50), quotes.LineRequest(cat.suite.pk, 50)],
            )
        )
        request = [quotes.LineRequest(cat.mail.pk, 1), quotes.LineRequest(cat.suite.pk, 1)]
        # when 50 orders for one seat each race for the last 10
        results = run_together(50, lambda i: actions.place_order(federation.alpha, admin, request))
        placed = [r for r in results if isinstance(r, Order)]
        refused = [r for r in results if not isinstance(r, Order)]
        # then exactly 10 succeed, 40 get a clear error, and nothing is half-written
        assert len(placed) == 10, [r for r in results if not isinstance(r, (Order,))][:3]
        assert len(refused) == 40
        assert all(e.error_dict["lines.1.quantity"][0].code == "pool_exhausted" for e in refused)
        assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).held_seats == 60
        with schema_context("agency_alpha"):
            assert Order.objects.count() == 11
            assert Order.objects.filter(lines__isnull=True).count() == 0
    finally:
        in_thread(_cleanup)
