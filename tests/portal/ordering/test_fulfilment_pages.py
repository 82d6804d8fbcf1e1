"""Central IT's fulfilment queue and an order's fulfilment page (central host)."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.ordering.models import LineState, Order, OrderState, SubscriptionState
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client
from tests.portal.ordering.conftest import place

pytestmark = pytest.mark.django_db


def order_state(order, schema="agency_alpha"):
    with schema_context(schema):
        row = Order.objects.get(pk=order.pk)
        return row.state, [(li.state, li.decided_reason) for li in row.lines.all()]


def test_the_queue_lists_orders_of_every_agency_awaiting_fulfilment(federation, cat):
    # given a small order of each agency (beta orders what meets its levels) and one
    # awaiting approval
    a = place(federation, cat.mail, 2)
    b = place(federation, cat.secure, 1, agency=federation.beta)
    place(federation, cat.laptop_std, 6)  # awaits alpha's second admin
    desk = portal_client(None, federation.user("desk"))
    response = desk.get("/ordering/", HTTP_ACCEPT_LANGUAGE="en")
    entries = {(e.agency.slug, e.local_id) for e in response.context["page"].object_list}
    assert entries == {("alpha", a.pk), ("beta", b.pk)}
    html = response.content.decode()
    assert f'href="/ordering/alpha/{a.pk}/"' in html and f'href="/ordering/beta/{b.pk}/"' in html
    # filtered to one agency
    only_beta = desk.get("/ordering/?agency=beta")
    assert [e.local_id for e in only_beta.context["page"].object_list] == [b.pk]


def test_the_queue_keeps_its_queries_for_2_and_10_orders(federation, cat):
    desk = portal_client(None, federation.user("desk"))
    place(federation, cat.mail, 1)
    place(federation, cat.secure, 1, agency=federation.beta)
    desk.get("/ordering/")
    few, first = count_queries(lambda: desk.get("/ordering/"))
    for i in range(8):
        place(federation, cat.mail, 1, agency=federation.alpha if i % 2 else None)
    more, second = count_queries(lambda: desk.get("/ordering/"))
    assert len(first.context["page"].object_list) == 2
    assert len(second.context["page"].object_list) == 10
    assert more == few


def test_the_queue_is_paginated(federation, cat):
    desk = portal_client(None, federation.user("desk"))
    for _ in range(26):
        place(federation, cat.mail, 1)
    response = desk.get("/ordering/?page=2")
    assert len(response.context["page"].object_list) == 1


def test_only_the_desk_and_platform_admins_open_the_fulfilment_pages(federation, cat):
    order = place(federation, cat.mail, 2)
    for name in ("fin", "cat", "tech", "nobody"):
        client = portal_client(None, federation.user(name))
        assert client.get("/ordering/").status_code == 403, name
        assert client.get(f"/ordering/alpha/{order.pk}/").status_code == 403, name
        response = client.post(
            f"/ordering/alpha/{order.pk}/",
            {"action": "reject", "reject-reason": "no"},
        )
        assert response.status_code == 403, name
    assert portal_client(None, federation.user("root")).get("/ordering/").status_code == 200
    assert order_state(order) == (OrderState.AWAITING_FULFILMENT, [(LineState.PENDING, "")])


def test_an_agency_admin_cannot_reach_the_fulfilment_pages(federation, cat):
    order = place(federation, cat.mail, 2)
    # on the central host the agency admin has no central role
    admin = portal_client(None, federation.user("alpha-admin"))
    assert admin.get("/ordering/").status_code == 403
    post = {
        "action": "fulfil",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-0-line": "1",
        "lines-0-decision": "fulfil",
    }
    assert admin.post(f"/ordering/alpha/{order.pk}/", post).status_code == 403
    assert order_state(order)[0] == OrderState.AWAITING_FULFILMENT


def _decisions(order, *rows):
    with schema_context("agency_alpha"):
        ids = list(Order.objects.get(pk=order.pk).lines.values_list("pk", flat=True))
    data = {"action": "fulfil", "lines-TOTAL_FORMS": str(len(ids)), "lines-INITIAL_FORMS": "0"}
    for i, (line_id, (decision, reason)) in enumerate(zip(ids, rows, strict=True)):
        data |= {
            f"lines-{i}-line": str(line_id),
            f"lines-{i}-decision": decision,
            f"lines-{i}-reason": reason,
        }
    return data


def test_the_desk_fulfils_one_line_and_rejects_another_with_a_reason(federation, cat):
    from services.ordering import actions, quotes

    order = actions.place_order(
        federation.alpha,
        federation.user("alpha-admin"),
        [quotes.LineRequest(cat.mail.pk, 4), quotes.LineRequest(cat.laptop_plus.pk, 1)],
    )
    desk = portal_client(None, federation.user("desk"))
    page = desk.get(f"/ordering/alpha/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["may_decide"] is True
    response = desk.post(
        f"/ordering/alpha/{order.pk}/",
        _decisions(order, ("fulfil", ""), ("reject", "Out of stock")),
    )
    assert response.status_code == 302
    assert order_state(order) == (
        OrderState.FULFILLED,
        [(LineState.FULFILLED, ""), (LineState.REJECTED, "Out of stock")],
    )
    with schema_context("agency_alpha"):
        sub = Order.objects.get(pk=order.pk).lines.get(position=0).subscription
        assert (sub.quantity, sub.state) == (4, SubscriptionState.ACTIVE)


def test_rejecting_a_line_without_a_reason_shows_the_error_next_to_it(federation, cat):
    order = place(federation, cat.mail, 2)
    desk = portal_client(None, federation.user("desk"))
    response = desk.post(
        f"/ordering/alpha/{order.pk}/",
        _decisions(order, ("reject", " ")),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["formset"].forms[0]
    assert form.errors == {"reason": ["Give a reason for rejecting the line."]}
    html = response.content.decode()
    assert 'id="id_lines-0-reason_error"' in html
    assert '<option value="reject" selected>' in html  # what was chosen stays chosen
    assert order_state(order) == (OrderState.AWAITING_FULFILMENT, [(LineState.PENDING, "")])


def test_leaving_every_line_for_later_changes_nothing(federation, cat):
    order = place(federation, cat.mail, 2)
    desk = portal_client(None, federation.user("desk"))
    response = desk.post(
        f"/ordering/alpha/{order.pk}/", _decisions(order, ("later", "")), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {
        "decision": ["Decide on at least one line."]
    }
    assert order_state(order)[0] == OrderState.AWAITING_FULFILMENT


def test_the_desk_rejects_the_whole_order_with_a_reason(federation, cat):
    order = place(federation, cat.mail, 2)
    desk = portal_client(None, federation.user("desk"))
    empty = desk.post(f"/ordering/alpha/{order.pk}/", {"action": "reject", "reject-reason": ""})
    assert empty.status_code == 400
    assert list(empty.context["reject_form"].errors) == ["reason"]
    desk.post(f"/ordering/alpha/{order.pk}/", {"action": "reject", "reject-reason": "Duplicate"})
    assert order_state(order) == (OrderState.REJECTED, [(LineState.REJECTED, "Duplicate")])


def test_an_unknown_agency_or_order_is_not_found(federation, cat):
    order = place(federation, cat.mail, 2)
    desk = portal_client(None, federation.user("desk"))
    assert desk.get(f"/ordering/nosuch/{order.pk}/").status_code == 404
    assert desk.get(f"/ordering/beta/{order.pk}/").status_code == 404  # not beta's
    assert desk.get("/ordering/template/1/").status_code == 404  # not a member agency


def test_fulfilling_needs_the_csrf_token(federation, cat):
    order = place(federation, cat.mail, 2)
    client = Client(HTTP_HOST=host_of(None), enforce_csrf_checks=True)
    client.force_login(federation.user("desk"))
    assert (
        client.post(f"/ordering/alpha/{order.pk}/", _decisions(order, ("fulfil", ""))).status_code
        == 403
    )
    assert order_state(order)[0] == OrderState.AWAITING_FULFILMENT
