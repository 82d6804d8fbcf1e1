"""Controls look at the commitment (12 months from the start, split per calendar year), not at
"the rest of this year"; guidance: one per agency, unchanged changes, delivery on working days;
money in kronor (issue 20)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from config import testclock
from services.catalogue.models import Offering, OfferingPrice, PriceModel
from services.ordering import actions, quotes
from services.ordering.commitment import line_commitment, months_per_year
from services.ordering.models import Budget, Order, OrderingPolicy, OrderState, Subscription
from tests.graphql import gql
from tests.ordering.catalogue import PRICE_DAY, gid

pytestmark = pytest.mark.django_db

DEC_6 = dt.date(2026, 12, 6)


def offering(cat, code, monthly, *, lead=10, high=500, one_off=0):
    o = Offering.objects.create(
        service=cat.mail.service,
        agreement=cat.ola,
        code=f"t-{code}",
        name=code,
        security_level=2,
        availability_level=2,
        price_model=PriceModel.PER_UNIT_MONTHLY,
        min_quantity=1,
        max_quantity=high,
        lead_time_days=lead,
    )
    OfferingPrice.objects.create(
        offering=o, valid_from=PRICE_DAY, monthly_ore=monthly, one_off_ore=one_off
    )
    return o


def setup_alpha(budgets: dict[int, int], threshold: int = 50_000_000) -> None:
    with schema_context("agency_alpha"):
        OrderingPolicy.objects.update_or_create(
            pk=1, defaults={"approval_threshold_ore": threshold}
        )
        for year, amount in budgets.items():
            Budget.objects.create(year=year, amount_ore=amount)


@pytest.mark.parametrize(
    ("start", "monthly", "one_off", "expected"),
    [
        (dt.date(2026, 12, 16), 7_800_000, 0, {2026: 7_800_000, 2027: 85_800_000}),
        (dt.date(2026, 1, 31), 101, 7, {2026: 12 * 101 + 7}),
        (dt.date(2026, 7, 1), -333, 0, {2026: -333 * 6, 2027: -333 * 6}),
        (dt.date(2027, 1, 5), 0, 950_00, {2027: 950_00}),
    ],
)
def test_the_commitment_is_split_exactly_over_the_years_it_touches(
    start, monthly, one_off, expected
):
    c = line_commitment(monthly, one_off, start)
    assert c.per_year == expected
    assert sum(c.per_year.values()) == c.total_ore == monthly * (12 if monthly else 0) + one_off
    assert months_per_year(dt.date(2026, 12, 31)) == {2026: 1, 2027: 11}


def test_a_year_of_20_x_3900_kr_ordered_on_6_december_needs_a_second_admin(federation, cat):
    # given a threshold of 500 000 kr and room in both budgets
    setup_alpha({2026: 10**10, 2027: 10**10})
    seats = offering(cat, "seat", 390_000)
    # when 20 × 3 900 kr a month is quoted on 6 December (starting the 16th)
    with schema_context("agency_alpha"):
        q = quotes.quote(federation.alpha, [quotes.LineRequest(seats.pk, 20)], today=DEC_6)
    # then the commitment is a year of it, split over 2026 and 2027, and it needs approval
    assert q.commitment_ore == 93_600_000  # 936 000 kr
    assert q.year_effects == {2026: 7_800_000, 2027: 85_800_000}
    assert q.year_effect_ore == 7_800_000  # below the threshold: the old control let it through
    assert q.needs_approval is True
    order = actions.place_order(
        federation.alpha,
        federation.user("alpha-admin"),
        [quotes.LineRequest(seats.pk, 20)],
        today=DEC_6,
    )
    assert order.state == OrderState.AWAITING_APPROVAL
    assert order.commitment_ore == 93_600_000
    assert order.budget_effects == {"2026": 7_800_000, "2027": 85_800_000}


def test_an_order_starting_in_january_meets_next_years_budget_in_kronor(federation, cat):
    # given 2027's budget of 1 000 000 kr, of which an earlier order took 110 000 kr
    setup_alpha({2026: 10**10, 2027: 100_000_000}, threshold=10**12)
    big = offering(cat, "big", 19_600_000, lead=14)  # 196 000 kr a month
    small = offering(cat, "small", 100_001)
    admin = federation.user("alpha-admin")
    actions.place_order(federation.alpha, admin, [quotes.LineRequest(small.pk, 10)], today=DEC_6)
    with schema_context("agency_alpha"):
        taken = quotes.committed_ore(2027)
    assert taken == 100_001 * 10 * 11
    # when an order starting on 5 January is placed on 22 December
    day = dt.date(2026, 12, 22)
    with pytest.raises(ValidationError) as caught:
        actions.place_order(federation.alpha, admin, [quotes.LineRequest(big.pk, 1)], today=day)
    # then it is refused for 2027 (it has no effect on 2026 at all), in kronor
    [error] = caught.value.error_dict["budget"]
    assert error.code == "budget_exceeded"
    left = 100_000_000 - taken
    assert error.message == (
        "The order takes 2,352,000.00\xa0kr from the 2027 budget, and only "
        f"{left // 100:,}.{left % 100:02d}\xa0kr of it is left. Ask finance for an override."
    )
    with schema_context("agency_alpha"):
        assert Order.objects.count() == 1
    # and with an override requested it waits for finance
    order = actions.place_order(
        federation.alpha,
        admin,
        [quotes.LineRequest(big.pk, 1)],
        today=day,
        request_budget_override=True,
    )
    assert order.state == OrderState.AWAITING_BUDGET_OVERRIDE
    assert (order.year_effect_ore, order.budget_effects) == (0, {"2027": 235_200_000})


@pytest.mark.parametrize(
    ("today", "due", "delivered"),
    [
        (dt.date(2026, 12, 15), dt.date(2026, 12, 25), dt.date(2026, 12, 28)),  # Christmas
        (dt.date(2026, 11, 19), dt.date(2026, 11, 29), dt.date(2026, 11, 30)),  # a Sunday
        (dt.date(2026, 11, 18), dt.date(2026, 11, 28), dt.date(2026, 11, 30)),  # a Saturday
        (dt.date(2026, 11, 16), dt.date(2026, 11, 26), dt.date(2026, 11, 26)),  # a Thursday
    ],
)
def test_delivery_moves_to_the_next_working_day(federation, cat, today, due, delivered):
    assert today + dt.timedelta(days=10) == due
    with schema_context("agency_alpha"):
        q = quotes.quote(federation.alpha, [quotes.LineRequest(cat.mail.pk, 1)], today=today)
    assert q.delivery_on == delivered
    assert q.delivery_moved is (due != delivered)
    assert q.lines[0].starts_on == delivered


def test_an_offering_limited_to_one_per_agency_cannot_be_ordered_twice(federation, cat):
    one = offering(cat, "one", 500_000, high=1)
    admin = federation.user("alpha-admin")
    # two lines of one order count together
    with pytest.raises(ValidationError) as caught:
        actions.place_order(
            federation.alpha,
            admin,
            [quotes.LineRequest(one.pk, 1), quotes.LineRequest(one.pk, 1)],
        )
    assert list(caught.value.error_dict) == ["lines.1.quantity"]
    assert caught.value.error_dict["lines.1.quantity"][0].code == "limit_per_agency"
    # an open order counts, and so does a subscription
    actions.place_order(federation.alpha, admin, [quotes.LineRequest(one.pk, 1)])
    with pytest.raises(ValidationError) as caught:
        actions.place_order(federation.alpha, admin, [quotes.LineRequest(one.pk, 1)])
    assert "limited to one per agency" in caught.value.error_dict["lines.0.quantity"][0].message
    with schema_context("agency_alpha"):
        Order.objects.update(state=OrderState.REJECTED)
        Subscription.objects.create(
            offering=one, quantity=1, unit_monthly_ore=500_000, starts_on=dt.date(2026, 1, 1)
        )
    r = gql(
        """mutation($lines: [OrderLineInput!]!) { placeOrder(lines: $lines) {
           order { id } errors { field code message } } }""",
        {"lines": [{"offering": gid(one), "quantity": 1}]},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["placeOrder"]["order"] is None
    assert r.data["placeOrder"]["errors"][0]["field"] == "lines.0.quantity"
    assert r.data["placeOrder"]["errors"][0]["code"] == "LIMIT_PER_AGENCY"
    # a limit above one says how many more may be ordered
    with schema_context("agency_alpha"):
        Subscription.objects.create(
            offering=cat.mail, quantity=450, unit_monthly_ore=5_000, starts_on=dt.date(2026, 1, 1)
        )
    with pytest.raises(ValidationError) as caught:
        actions.place_order(federation.alpha, admin, [quotes.LineRequest(cat.mail.pk, 51)])
    assert "at most 50 more" in caught.value.error_dict["lines.0.quantity"][0].message


def test_a_change_to_the_same_quantity_is_refused(federation, cat):
    with schema_context("agency_alpha"):
        sub = Subscription.objects.create(
            offering=cat.mail, quantity=3, unit_monthly_ore=5_000, starts_on=dt.date(2026, 1, 1)
        )
    change = """mutation($id: ID!, $q: Int!) { changeSubscription(subscription: $id, quantity: $q)
      { order { id } errors { field code message } } }"""
    r = gql(
        change,
        {"id": to_global_id("Subscription", sub.pk), "q": 3},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["changeSubscription"]["order"] is None
    assert r.data["changeSubscription"]["errors"] == [
        {
            "field": "quantity",
            "code": "UNCHANGED",
            "message": "The subscription already has 3; give a different quantity.",
        }
    ]
    with schema_context("agency_alpha"):
        assert not Order.objects.exists()


def test_the_graphql_quote_explains_the_commitment_per_year(federation, cat):
    testclock.rewind("2026-12-06T10:00")
    setup_alpha({2026: 100_000_000})
    seats = offering(cat, "seat", 390_000)
    r = gql(
        """query($lines: [OrderLineInput!]!) { quoteOrder(lines: $lines) {
           commitmentOre commitmentMonths needsApproval approvalThresholdOre deliveryMoved
           years { year effectOre budgetOre committedOre remainingAfterOre overBudget }
           errors { field } } }""",
        {"lines": [{"offering": gid(seats), "quantity": 20}]},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    q = r.data["quoteOrder"]
    assert q["commitmentOre"] == 93_600_000 and q["commitmentMonths"] == 12
    assert q["needsApproval"] is True and q["approvalThresholdOre"] == 50_000_000
    assert q["deliveryMoved"] is False
    assert q["years"] == [
        {
            "year": 2026,
            "effectOre": 7_800_000,
            "budgetOre": 100_000_000,
            "committedOre": 0,
            "remainingAfterOre": 92_200_000,
            "overBudget": False,
        },
        {
            "year": 2027,
            "effectOre": 85_800_000,
            "budgetOre": None,
            "committedOre": 0,
            "remainingAfterOre": None,
            "overBudget": False,
        },
    ]
