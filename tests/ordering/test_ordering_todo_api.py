"""The to-do list and the names of who placed and approved an order, in GraphQL (issue 20)."""

import pytest
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.ordering import actions, quotes
from services.ordering.models import Budget, OrderingPolicy
from services.people.models import Person
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.graphql import gql

pytestmark = pytest.mark.django_db

TODO = "{ todo { key label count url } }"


@pytest.fixture
def admin2(federation):
    user = User.objects.create_user(username="alpha-admin2", password="x")
    RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=federation.alpha)
    with schema_context("agency_alpha"):
        Person.objects.create(user_id=user.pk, name="Second Admin")
    return user


def test_the_todo_query_counts_what_waits_for_each_role(federation, cat, admin2):
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.update_or_create(pk=1, defaults={"approval_threshold_ore": 1})
        Budget.objects.create(year=2026, amount_ore=20_000)
    alpha_admin = federation.user("alpha-admin")
    actions.place_order(federation.alpha, alpha_admin, [quotes.LineRequest(cat.mail.pk, 1)])
    actions.place_order(
        federation.alpha,
        alpha_admin,
        [quotes.LineRequest(cat.suite.pk, 1), quotes.LineRequest(cat.mail.pk, 1)],
        request_budget_override=True,
    )
    r = gql(TODO, agency=federation.alpha, user=admin2)
    items = {i["key"]: i for i in r.data["todo"]}
    assert items["orders_to_approve"]["count"] == 1  # the other waits for finance first
    assert items["orders_to_approve"]["url"] == "/ordering/orders/?state=awaiting_approval"
    assert items["statements_to_accept"]["count"] == 0
    r = gql(TODO, user=federation.user("fin"))
    items = {i["key"]: i["count"] for i in r.data["todo"]}
    assert items == {"budget_overrides": 1, "disputes": 0}
    assert gql(TODO, user=federation.user("desk")).data["todo"] == []
    assert (
        gql(TODO, agency=federation.alpha, user=federation.user("alpha-staff")).data["todo"] == []
    )
    assert gql(TODO).errors


def test_orders_name_who_placed_and_approved_them(federation, cat, admin2):
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.update_or_create(pk=1, defaults={"approval_threshold_ore": 1})
    order = actions.place_order(
        federation.alpha, federation.user("alpha-admin"), [quotes.LineRequest(cat.mail.pk, 1)]
    )
    actions.approve_order(federation.alpha, admin2, order.pk)
    query = "{ orders { edges { node { placedByName approvedByName } } } }"
    r = gql(query, agency=federation.alpha, user=admin2)
    # alpha-admin has no person record: the username, never "Identity 12"
    assert r.data["orders"]["edges"] == [
        {"node": {"placedByName": "alpha-admin", "approvedByName": "Second Admin"}}
    ]
    one = gql(
        """query($id: ID!) { agencyOrder(id: $id) { placedByName approvedByName } }""",
        {"id": to_global_id("AgencyOrder", f"{federation.alpha.pk}.{order.pk}")},
        user=federation.user("desk"),
    )
    assert one.data["agencyOrder"] == {
        "placedByName": "alpha-admin",
        "approvedByName": "Second Admin",
    }
