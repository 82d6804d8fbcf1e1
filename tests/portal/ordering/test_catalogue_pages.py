"""The catalogue page and the order builder with its live quote (agency host, admins)."""

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from services.ordering.models import Budget, Order
from tests.graphql import host_of
from tests.ordering.catalogue import build_catalogue
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db


def lines(*rows, extra_blank=1):
    """POST data of the builder's lines (plus blank rows)."""
    data = {"lines-INITIAL_FORMS": "0"}
    rows = [*rows, *[("", "")] * extra_blank]
    for i, (offering, qty) in enumerate(rows):
        data[f"lines-{i}-offering"] = getattr(offering, "pk", offering)
        data[f"lines-{i}-quantity"] = qty
    data["lines-TOTAL_FORMS"] = str(len(rows))
    return data


def alpha_orders():
    with schema_context("agency_alpha"):
        return list(Order.objects.values_list("pk", flat=True))


def test_catalogue_shows_what_alpha_may_order_and_why_not_the_rest(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    # when the admin opens the orderable offerings, then all other ones
    orderable = client.get("/ordering/catalogue/", HTTP_ACCEPT_LANGUAGE="en")
    other = client.get("/ordering/catalogue/?show=other", HTTP_ACCEPT_LANGUAGE="en")
    # then the level-2 offerings are orderable, and the rest say why not
    assert orderable.status_code == 200
    assert [r["offering"].code for r in orderable.context["rows"]] == [
        "p-laptop-plus",
        "p-laptop-std",
        "p-mail",
        "p-secure",
        "p-suite",
    ]
    assert all(r["reason"] is None for r in orderable.context["rows"])
    reasons = {r["offering"].code: r["reason"] for r in other.context["rows"]}
    assert reasons == {"p-retired": "The offering is retired."}
    assert "The offering is retired." not in orderable.content.decode()
    assert "The offering is retired." in other.content.decode()
    assert f"/ordering/new/?offering={cat.mail.pk}" in orderable.content.decode()


def test_catalogue_explains_a_level_the_offering_does_not_meet(federation, cat):
    # given beta, which requires levels 3/3: the level-2 offerings do not meet them
    client = portal_client(federation.beta, federation.user("beta-admin"))
    response = client.get("/ordering/catalogue/?show=other", HTTP_ACCEPT_LANGUAGE="en")
    reasons = {r["offering"].code: r["reason"] for r in response.context["rows"]}
    assert reasons["p-mail"] == "Meets security level 2; the agency requires 3."
    assert reasons["p-retired"] == "The offering is retired."
    assert "p-secure" not in reasons  # 4/4 meets beta's levels
    assert "Meets security level 2; the agency requires 3." in response.content.decode()


def test_staff_and_central_users_cannot_open_the_admin_pages(federation, cat):
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    desk_on_alpha = portal_client(federation.alpha, federation.user("desk"))
    for path in (
        "/ordering/catalogue/",
        "/ordering/new/",
        "/ordering/orders/",
        "/ordering/subscriptions/",
    ):
        assert staff.get(path).status_code == 403, path
        assert desk_on_alpha.get(path).status_code == 403, path
    # and a staff member's post places nothing
    response = staff.post("/ordering/new/", {**lines((cat.mail, 5)), "place": "1"})
    assert response.status_code == 403
    assert alpha_orders() == []


def test_catalogue_pages_keep_their_number_of_queries(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    client.get("/ordering/catalogue/?show=all")  # warm the session and grants
    few, _ = count_queries(lambda: client.get("/ordering/catalogue/?show=all"))
    build_catalogue(prefix="q")  # six more offerings
    more, response = count_queries(lambda: client.get("/ordering/catalogue/?show=all"))
    assert len(response.context["rows"]) == 12
    assert more == few


def test_the_live_quote_shows_costs_budget_approval_and_prerequisites(federation, cat, budget):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    # when the builder's lines change (htmx posts them to the quote)
    response = client.post(
        "/ordering/quote/",
        lines((cat.suite, 10), (cat.laptop_std, 6)),
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HX_REQUEST="true",
    )
    # then the panel shows the costs, the approval rule and the missing prerequisite
    q = response.context["quote"]
    assert response.status_code == 200
    assert q.monthly_ore == 10 * 12_000 + 6 * 20_000
    assert q.one_off_ore == 6 * 900_000
    assert q.needs_approval is True
    assert q.budget_ore == 100_000_000
    assert response.context["missing"] == ["Line 1: suite requires mail."]
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert "54,000.00\xa0kr" in html and "A second agency admin must approve" in html
    # and nothing is written
    assert alpha_orders() == []


def test_the_quote_names_the_line_with_a_quantity_out_of_range(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        "/ordering/quote/", lines((cat.mail, 5), (cat.suite, 900)), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.context["problems"] == ["Line 2: Quantity must be from 1 to 500."]


def test_placing_an_order_goes_through_the_action_and_opens_the_order(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        "/ordering/new/", {**lines((cat.mail, 5)), "note": "New staff", "place": "1"}
    )
    [pk] = alpha_orders()
    assert response.status_code == 302
    assert response["Location"] == f"/ordering/orders/{pk}/"
    with schema_context("agency_alpha"):
        order = Order.objects.get()
        assert (order.state, order.note, order.monthly_ore) == (
            "awaiting_fulfilment",
            "New staff",
            25_000,
        )


def test_a_quantity_out_of_range_shows_next_to_the_field_and_keeps_the_input(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    # when the admin orders 900 of an offering sold 1 to 500, on the second line
    response = client.post(
        "/ordering/new/",
        {**lines((cat.mail, 5), (cat.suite, 900)), "note": "Typed note", "place": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # then the page comes back with the error on that line's quantity, and what was typed
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[1].errors == {"quantity": ["Quantity must be from 1 to 500."]}
    assert formset.forms[0].errors == {}
    html = response.content.decode()
    assert 'id="id_lines-1-quantity_error"' in html
    assert 'name="lines-1-quantity" value="900"' in html
    assert "Typed note" in html
    assert alpha_orders() == []


def test_a_half_filled_line_is_refused_by_the_form(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        "/ordering/new/", {**lines((cat.mail, "")), "place": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {"quantity": ["Give a quantity."]}
    assert alpha_orders() == []


def test_an_order_over_budget_asks_for_the_override_next_to_its_checkbox(federation, cat):
    with schema_context("agency_alpha"):
        Budget.objects.create(year=timezone.localdate().year, amount_ore=100_000)
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        "/ordering/new/", {**lines((cat.laptop_std, 2)), "place": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["order_form"].errors
    assert response.status_code == 400
    assert list(errors) == ["request_budget_override"]
    assert "Ask finance for an override." in errors["request_budget_override"][0]
    assert alpha_orders() == []


def test_adding_a_line_keeps_the_typed_lines(federation, cat):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = client.post(
        "/ordering/new/", {**lines((cat.mail, 7), extra_blank=0), "add_line": "1"}
    )
    formset = response.context["formset"]
    assert response.status_code == 200
    assert formset.total_form_count() == 2
    assert formset.forms[0]["quantity"].value() == "7"
    assert alpha_orders() == []


def test_the_builder_refuses_a_post_without_the_csrf_token(federation, cat):
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-admin"))
    response = client.post("/ordering/new/", {**lines((cat.mail, 5)), "place": "1"})
    assert response.status_code == 403
    assert alpha_orders() == []
    # the quote (htmx) needs the token too
    assert client.post("/ordering/quote/", lines((cat.mail, 5))).status_code == 403


def test_the_menus_lead_to_the_ordering_pages(federation):
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    desk = portal_client(None, federation.user("desk"))
    admin_menu = admin.get("/ordering/orders/").context["portal_menu"]
    desk_urls = [i["url"] for i in desk.get("/").context["portal_menu"]]
    assert {"/ordering/catalogue/", "/ordering/orders/", "/ordering/subscriptions/"} <= {
        i["url"] for i in admin_menu
    }
    # only the page being shown is marked current
    assert [i["url"] for i in admin_menu if i["current"]] == ["/ordering/orders/"]
    assert "/ordering/" in desk_urls
