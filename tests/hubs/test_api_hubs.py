"""serviceHubs and hubStock through GraphQL: who sees what, filters, free slots, counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from services.hubs.models import SlotLoad
from tests.graphql import gql
from tests.hubs import build

pytestmark = pytest.mark.django_db

HUBS = """query($county: String, $service: HubService) {
  serviceHubs(first: 50, county: $county, service: $service) { totalCount
    edges { node { id name county countyName services calendarName slotMinutes capacity
      openingHours { weekday opensAt closesAt } stockCounts { kind state count } } } } }"""
SLOTS = """query($id: ID!, $date: Date!) { serviceHub(id: $id) { name
  freeSlots(date: $date) { startsAt endsAt free capacity } } }"""
STOCK = """query($hub: ID) { hubStock(first: 50, hub: $hub) { totalCount
  edges { node { serialNumber kind state hub { name } } } } }"""


def _names(response):
    return [e["node"]["name"] for e in response.data["serviceHubs"]["edges"]]


def test_any_signed_in_user_on_any_host_lists_active_hubs(federation, calendar):
    # given two active hubs and an inactive one
    build.make_hub(calendar, name="hubtest Luleå", county="BD", services=["pick_up"])
    build.make_hub(calendar, name="hubtest Malmö", county="M")
    closed = build.make_hub(calendar, name="hubtest Closed", county="M")
    closed.is_active = False
    closed.save()
    # when staff of either agency, and central IT, list them
    for agency, user in (
        (federation.alpha, "alpha-staff"),
        (federation.beta, "beta-admin"),
        (None, "fin"),
        (None, "nobody"),
    ):
        response = gql(HUBS, agency=agency, user=federation.user(user))
        # then they see the active hubs only
        assert not response.errors, response.errors
        # (by county code: BD before M)
        assert [n for n in _names(response) if n.startswith("hubtest")] == [
            "hubtest Luleå",
            "hubtest Malmö",
        ]
    # and anonymous callers see nothing
    assert gql(HUBS).data["serviceHubs"]["totalCount"] == 0


def test_hubs_filter_by_county_and_service(federation, calendar):
    build.make_hub(calendar, name="hubtest Luleå", county="BD", services=["pick_up"])
    build.make_hub(calendar, name="hubtest Umeå", county="AC", services=["drop_off"])
    user = federation.user("alpha-staff")
    # when filtered by county
    response = gql(HUBS, {"county": "bd"}, agency=federation.alpha, user=user)
    node = response.data["serviceHubs"]["edges"][0]["node"]
    assert _names(response) == ["hubtest Luleå"]
    assert node["countyName"] == "Norrbottens län"
    assert node["services"] == ["PICK_UP"]
    assert node["calendarName"] == "hubtest hours"
    assert [o["weekday"] for o in node["openingHours"]] == [0, 1, 2, 3, 4]
    assert node["openingHours"][0]["opensAt"] == "09:00:00"
    # when filtered by service
    response = gql(HUBS, {"service": "DROP_OFF"}, agency=federation.alpha, user=user)
    assert [n for n in _names(response) if n.startswith("hubtest")] == ["hubtest Umeå"]


def test_free_slots_of_a_date_leave_out_full_slots(federation, hub):
    # given a day whose 09:00 slot is full
    day = build.open_day()
    SlotLoad.objects.create(hub=hub, starts_at=build.at(day, 9), booked=2)
    SlotLoad.objects.create(hub=hub, starts_at=build.at(day, 9, 30), booked=1)
    # when staff ask for the free slots
    response = gql(
        SLOTS,
        {"id": to_global_id("Hub", hub.pk), "date": day.isoformat()},
        agency=federation.beta,
        user=federation.user("beta-staff"),
    )
    found = response.data["serviceHub"]["freeSlots"]
    # then 13 slots remain, the first at 09:30 with one place
    assert len(found) == 13
    assert found[0]["startsAt"] == build.at(day, 9, 30).isoformat()
    assert found[0]["free"] == 1 and found[0]["capacity"] == 2


def test_stock_is_for_central_it_on_the_central_host(federation, hub, hubber):
    # given stock at the hub
    build.stock(hub, "HT-L1", "loaner")
    build.stock(hub, "HT-L2", "loaner", "lent")
    build.stock(hub, "HT-R1", "replacement")
    hub_id = to_global_id("Hub", hub.pk)
    # when hub staff list it centrally
    response = gql(STOCK, {"hub": hub_id}, user=hubber)
    assert response.data["hubStock"]["totalCount"] == 3
    assert {e["node"]["serialNumber"] for e in response.data["hubStock"]["edges"]} == {
        "HT-L1",
        "HT-L2",
        "HT-R1",
    }
    # and the counts per kind and state come with the hub
    counts = gql(HUBS, {"county": "AB"}, user=hubber).data["serviceHubs"]["edges"]
    mine = next(e["node"] for e in counts if e["node"]["name"] == hub.name)["stockCounts"]
    assert {(c["kind"], c["state"]): c["count"] for c in mine if c["count"]} == {
        ("LOANER", "AVAILABLE"): 1,
        ("LOANER", "LENT"): 1,
        ("REPLACEMENT", "AVAILABLE"): 1,
    }
    # then agency users (either host) and finance see no stock and no counts
    for agency, user in ((federation.alpha, "alpha-admin"), (None, "alpha-admin"), (None, "fin")):
        response = gql(STOCK, {"hub": hub_id}, agency=agency, user=federation.user(user))
        assert response.data["hubStock"]["totalCount"] == 0
        hubs = gql(HUBS, {"county": "AB"}, agency=agency, user=federation.user(user))
        assert all(e["node"]["stockCounts"] is None for e in hubs.data["serviceHubs"]["edges"])


def test_the_hub_list_takes_the_same_queries_for_2_and_10_hubs(federation, calendar, hubber):
    def count(n_hubs):
        for i in range(n_hubs):
            hub = build.make_hub(calendar, name=f"hubtest q{n_hubs}-{i}", county="W")
            build.stock(hub, f"HTQ-{n_hubs}-{i}", "loaner")
        with CaptureQueriesContext(connection) as ctx:
            response = gql(HUBS, {"county": "W"}, user=hubber)
        assert response.data["serviceHubs"]["totalCount"] == n_hubs + (10 if n_hubs == 2 else 0)
        return len(ctx.captured_queries)

    # given 10 hubs, then 2 more (12), the query count does not change
    few = count(10)
    more = count(2)
    assert few == more
