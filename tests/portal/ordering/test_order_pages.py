"""Orders and subscriptions on an agency host: lists, detail with the audit trail, approval,
change of quantity and cancellation; isolation between agencies."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.ordering.models import Order, OrderState, Subscription
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client
from tests.portal.ordering.conftest import place, subscribe

pytestmark = pytest.mark.django_db


def state_of(order, schema="agency_alpha"):
    with schema_context(schema):
        return Order.objects.get(pk=order.pk).state


def test_the_order_list_keeps_its_queries_for_2_and_10_orders(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    for _ in range(2):
        place(federation, cat.mail, 2)
    client.get("/ordering/orders/")
    few, first = count_queries(lambda: client.get("/ordering/orders/"))
    for _ in range(8):
        place(federation, cat.laptop_std, 1)
    more, second = count_queries(lambda: client.get("/ordering/orders/"))
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 10
    assert more == few


def test_the_order_list_is_paginated(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    for _ in range(27):
        place(federation, cat.mail, 1)
    first = client.get("/ordering/orders/", HTTP_ACCEPT_LANGUAGE="en")
    last = client.get("/ordering/orders/?page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert len(first.context["rows"]) == 25 and len(last.context["rows"]) == 2
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_the_order_list_filters_by_state(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    small = place(federation, cat.mail, 2)
    big = place(federation, cat.laptop_std, 6)  # over the approval threshold
    response = client.get("/ordering/orders/?state=awaiting_approval")
    assert [r["order"].pk for r in response.context["rows"]] == [big.pk]
    assert response.context["awaiting_approval"] == 1
    assert small.state == OrderState.AWAITING_FULFILMENT


def test_a_second_admin_approves_an_order_and_the_trail_says_who(federation, cat, admin2):
    order = place(federation, cat.laptop_std, 6)
    assert order.state == OrderState.AWAITING_APPROVAL
    client = portal_client(federation.alpha, admin2)
    # when the second admin opens and approves it
    page = client.get(f"/ordering/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["may_decide"] is True and page.context["own_order"] is False
    response = client.post(f"/ordering/orders/{order.pk}/", {"action": "approve"})
    # then it awaits fulfilment, and the audit trail names the approver
    assert response.status_code == 302
    assert state_of(order) == OrderState.AWAITING_FULFILMENT
    detail = client.get(f"/ordering/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert [(r["action"], r["actor"]) for r in detail.context["events"]] == [
        # the test federation's alpha-admin has no person record: its username (issue 20)
        ("Placed", "alpha-admin"),
        ("Approved", "Second Admin"),
    ]


def test_the_placer_cannot_approve_their_own_order(federation, cat):
    order = place(federation, cat.laptop_std, 6)
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    page = client.get(f"/ordering/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["own_order"] is True
    assert 'id="approve"' not in page.content.decode()
    # a crafted post goes to the action, which refuses it
    response = client.post(f"/ordering/orders/{order.pk}/", {"action": "approve"}, follow=True)
    assert state_of(order) == OrderState.AWAITING_APPROVAL
    assert "A second admin must approve: you placed this order." in [
        str(m) for m in response.context["messages"]
    ]


def test_rejecting_needs_a_reason_next_to_the_field(federation, cat, admin2):
    order = place(federation, cat.laptop_std, 6)
    client = portal_client(federation.alpha, admin2)
    response = client.post(
        f"/ordering/orders/{order.pk}/",
        {"action": "reject", "reject-reason": "   "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["reject_form"].errors == {"reason": ["This field is required."]}
    assert 'id="id_reject-reason_error"' in response.content.decode()
    assert state_of(order) == OrderState.AWAITING_APPROVAL
    # with a reason it is rejected
    client.post(f"/ordering/orders/{order.pk}/", {"action": "reject", "reject-reason": "Not now"})
    assert state_of(order) == OrderState.REJECTED


def test_beta_cannot_see_or_act_on_alphas_orders(federation, cat):
    order = place(federation, cat.laptop_std, 6)
    beta_admin = federation.user("beta-admin")
    # on alpha's host beta's admin is refused
    on_alpha = portal_client(federation.alpha, beta_admin)
    assert on_alpha.get(f"/ordering/orders/{order.pk}/").status_code == 403
    assert on_alpha.post(f"/ordering/orders/{order.pk}/", {"action": "approve"}).status_code == 403
    # on beta's host the same id names no order of beta's
    on_beta = portal_client(federation.beta, beta_admin)
    assert on_beta.get(f"/ordering/orders/{order.pk}/").status_code == 404
    response = on_beta.post(f"/ordering/orders/{order.pk}/", {"action": "approve"}, follow=True)
    assert response.status_code == 404
    assert on_beta.get("/ordering/orders/").context["rows"] == []
    # and alpha's order is unchanged
    assert state_of(order) == OrderState.AWAITING_APPROVAL


def test_staff_cannot_open_or_act_on_orders(federation, cat):
    order = place(federation, cat.laptop_std, 6)
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    assert staff.get(f"/ordering/orders/{order.pk}/").status_code == 403
    assert staff.post(f"/ordering/orders/{order.pk}/", {"action": "approve"}).status_code == 403
    assert state_of(order) == OrderState.AWAITING_APPROVAL


def test_approving_needs_the_csrf_token(federation, cat, admin2):
    order = place(federation, cat.laptop_std, 6)
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(admin2)
    assert client.post(f"/ordering/orders/{order.pk}/", {"action": "approve"}).status_code == 403
    assert state_of(order) == OrderState.AWAITING_APPROVAL


def test_the_subscription_list_keeps_its_queries_for_2_and_10_rows(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    for _ in range(2):
        subscribe(federation, cat.mail, 3)
    client.get("/ordering/subscriptions/")
    few, first = count_queries(lambda: client.get("/ordering/subscriptions/"))
    for _ in range(8):
        subscribe(federation, cat.laptop_std, 1)
    more, second = count_queries(lambda: client.get("/ordering/subscriptions/"))
    assert len(first.context["page"].object_list) == 2
    assert len(second.context["page"].object_list) == 10
    assert more == few


def test_the_subscription_list_is_paginated(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    for _ in range(26):
        subscribe(federation, cat.mail, 1)
    response = client.get("/ordering/subscriptions/?page=2")
    assert len(response.context["page"].object_list) == 1


def test_changing_the_quantity_places_a_change_order(federation, cat):
    sub = subscribe(federation, cat.mail, 3)
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        f"/ordering/subscriptions/{sub.pk}/", {"action": "change", "change-quantity": "8"}
    )
    with schema_context("agency_alpha"):
        order = Order.objects.get(subscription=sub)
        assert (order.kind, order.lines.get().quantity) == ("change", 8)
    assert response["Location"] == f"/ordering/orders/{order.pk}/"


def test_a_quantity_out_of_range_shows_next_to_the_field_and_keeps_the_input_on_change(
    federation, cat
):
    sub = subscribe(federation, cat.mail, 3)
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        f"/ordering/subscriptions/{sub.pk}/",
        {"action": "change", "change-quantity": "501"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["change_form"].errors == {
        "quantity": ["Quantity must be from 1 to 500."]
    }
    html = response.content.decode()
    assert 'id="id_change-quantity_error"' in html and 'value="501"' in html
    with schema_context("agency_alpha"):
        assert not Order.objects.filter(subscription=sub).exists()


def test_cancelling_places_a_cancellation_and_a_second_one_is_refused(federation, cat):
    sub = subscribe(federation, cat.mail, 3)
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    first = client.post(f"/ordering/subscriptions/{sub.pk}/", {"action": "cancel"})
    assert first.status_code == 302
    second = client.post(
        f"/ordering/subscriptions/{sub.pk}/", {"action": "cancel"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert second.status_code == 400
    assert second.context["cancel_errors"] == ["An order for this subscription is already open."]
    with schema_context("agency_alpha"):
        assert list(Order.objects.filter(subscription=sub).values_list("kind", flat=True)) == [
            "cancel"
        ]


def test_beta_cannot_change_alphas_subscription(federation, cat):
    sub = subscribe(federation, cat.mail, 3)
    on_alpha = portal_client(federation.alpha, federation.user("beta-admin"))
    on_beta = portal_client(federation.beta, federation.user("beta-admin"))
    post = {"action": "change", "change-quantity": "9"}
    assert on_alpha.post(f"/ordering/subscriptions/{sub.pk}/", post).status_code == 403
    assert on_beta.post(f"/ordering/subscriptions/{sub.pk}/", post).status_code == 404
    assert len(on_beta.get("/ordering/subscriptions/").context["page"].object_list) == 0
    with schema_context("agency_alpha"):
        assert Subscription.objects.get(pk=sub.pk).quantity == 3
        assert not Order.objects.filter(subscription=sub).exists()
