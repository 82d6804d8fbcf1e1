"""Who sees which visits, and what of them: the technician's day (address only while active),
the dispatch list (no personal data), the agency's own list (admins all, staff their own),
and constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.field.visits import actions
from services.field.visits.models import Visit
from tests.graphql import gql
from tests.visits.fixtures import request

pytestmark = pytest.mark.django_db

MY = """query($all: Boolean) { myVisits(includeFinished: $all) { id state active county
  streetAddress postalCode city contactName contactPhone notes ticketSubject agency { slug }
  windows { startsAt } } }"""
ARRIVE = """mutation($v: ID!) { arriveVisit(visit: $v) { visit { state streetAddress }
  errors { code } } }"""
COMPLETE = """mutation($v: ID!) { completeVisit(visit: $v, done: true, travelMinutes: 25,
  onSiteMinutes: 40) { visit { state streetAddress contactPhone onSiteMinutes }
  errors { code } } }"""
TO_DISPATCH = """{ visitsToDispatch { visitId state county priority dueAt technician
  agency { slug } windows { startsAt endsAt } } }"""
AGENCY_VISITS = """{ visits(first: 50) { totalCount edges { node { id state city windows {
  startsAt } } } } }"""
ONE = """query($id: ID!) { visit(id: $id) { id city } }"""
TECHNICIANS = """{ technicians(first: 50) { edges { node { username homeCounty counties
  calendar } } } }"""


def cid(agency, visit):
    return to_global_id("AgencyVisit", f"{agency.pk}.{visit.pk}")


def dispatched(federation, fld, who="alpha-staff", tech="t-ab", day=0):
    agency = federation.alpha if who.startswith("alpha") else federation.beta
    visit = request(federation, fld, who, agency=agency, windows=fld.windows((day, 9, 11)))
    with schema_context(agency.schema_name):
        window = visit.windows.get()
    return actions.dispatch_visit(
        agency,
        federation.user("desk"),
        visit.pk,
        technician_id=fld.techs[tech].pk,
        window_id=window.pk,
    )


def today(agency, visit):
    """The day of the visit comes: its confirmed start is now."""
    now = timezone.now()
    with schema_context(agency.schema_name):
        Visit.objects.filter(pk=visit.pk).update(
            confirmed_start=now, confirmed_end=now + dt.timedelta(hours=2)
        )


def test_a_technician_sees_the_address_only_while_the_visit_is_active(federation, fld):
    # given tech dispatched to alpha's staff member, next week
    visit = dispatched(federation, fld, tech="tech")
    tech = federation.user("tech")
    # then tech sees the visit, but not where it is or whom to call
    [v] = gql(MY, user=tech).data["myVisits"]
    assert (v["id"], v["state"], v["active"], v["county"], v["agency"]) == (
        cid(federation.alpha, visit),
        "DISPATCHED",
        False,
        "AB",
        {"slug": "alpha"},
    )
    hidden = ("streetAddress", "postalCode", "city", "contactName", "contactPhone", "notes")
    assert [v[k] for k in hidden] == [None] * 6
    assert v["ticketSubject"] == "Skrivaren hos alpha-staff"
    # when the day comes, the address and contact are shown
    today(federation.alpha, visit)
    [v] = gql(MY, user=tech).data["myVisits"]
    assert [v[k] for k in hidden] == [
        "Hemvägen 2",
        "11122",
        "Stad alpha",
        "Staff of alpha",
        "070-123 45 25",
        "",
    ]
    # another technician sees nothing, and may not arrive on it
    other = fld.techs["t-ab"].user
    assert gql(MY, user=other).data["myVisits"] == []
    r = gql(ARRIVE, {"v": cid(federation.alpha, visit)}, user=other).data["arriveVisit"]
    assert r == {"visit": None, "errors": [{"code": "PERMISSION_DENIED"}]}
    # tech arrives (address shown) and finishes: the address is hidden again
    r = gql(ARRIVE, {"v": cid(federation.alpha, visit)}, user=tech).data["arriveVisit"]
    assert r == {"visit": {"state": "ARRIVED", "streetAddress": "Hemvägen 2"}, "errors": []}
    r = gql(COMPLETE, {"v": cid(federation.alpha, visit)}, user=tech).data["completeVisit"]
    assert r == {
        "visit": {
            "state": "DONE",
            "streetAddress": None,
            "contactPhone": None,
            "onSiteMinutes": 40,
        },
        "errors": [],
    }
    assert gql(MY, user=tech).data["myVisits"] == []
    [v] = gql(MY, {"all": True}, user=tech).data["myVisits"]
    assert (v["state"], v["streetAddress"], v["city"]) == ("DONE", None, None)


def test_my_visits_is_for_technicians_on_the_central_host(federation, fld):
    dispatched(federation, fld, tech="tech")
    for who, agency in (
        ("desk", None),
        ("alpha-admin", federation.alpha),
        ("tech", federation.alpha),
    ):
        r = gql(MY, agency=agency, user=federation.user(who))
        assert r.data is None or r.data.get("myVisits") is None
        assert r.status == 403 or r.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_the_dispatch_list_shows_what_dispatch_needs_and_no_personal_data(federation, fld):
    # given a requested visit in alpha and one in beta, and a dispatched one
    a = request(federation, fld, windows=fld.windows((1, 9, 11)))
    b = request(federation, fld, "beta-admin", windows=fld.windows((0, 13, 15), (2, 8, 9)))
    dispatched(federation, fld, "alpha-admin")
    # when the desk reads the list
    r = gql(TO_DISPATCH, user=federation.user("desk"))
    # then the two waiting ones, earliest first, with county, windows and ticket priority
    items = r.data["visitsToDispatch"]
    assert [(i["visitId"], i["agency"]["slug"], i["county"], i["priority"]) for i in items] == [
        (cid(federation.beta, b), "beta", "AB", 2),
        (cid(federation.alpha, a), "alpha", "AB", 2),
    ]
    assert [len(i["windows"]) for i in items] == [2, 1]
    assert {k for i in items for k in i} == {
        "visitId",
        "state",
        "county",
        "priority",
        "dueAt",
        "technician",
        "agency",
        "windows",
    }
    # agency admins and technicians may not read it
    for who, agency in (("alpha-admin", federation.alpha), ("tech", None)):
        r = gql(TO_DISPATCH, agency=agency, user=federation.user(who))
        assert r.data is None and r.errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_an_agency_sees_only_its_own_visits_and_staff_only_theirs(federation, fld):
    a_admin = request(federation, fld, "alpha-admin")
    a_staff = request(federation, fld, "alpha-staff")
    b = request(federation, fld, "beta-staff")

    def listed(agency, who):
        r = gql(AGENCY_VISITS, agency=agency, user=federation.user(who))
        return [e["node"]["id"] for e in r.data["visits"]["edges"]]

    gid = lambda v: to_global_id("Visit", v.pk)  # noqa: E731
    assert sorted(listed(federation.alpha, "alpha-admin")) == sorted([gid(a_admin), gid(a_staff)])
    assert listed(federation.alpha, "alpha-staff") == [gid(a_staff)]
    assert listed(federation.beta, "beta-admin") == [gid(b)]
    # beta's admin guessing alpha's visit ids on beta's host: same pks name beta's rows only
    for guess in (a_admin, a_staff):
        r = gql(ONE, {"id": gid(guess)}, agency=federation.beta, user=federation.user("beta-admin"))
        expected = {"id": gid(b), "city": "Stad beta"} if guess.pk == b.pk else None
        assert r.data["visit"] == expected
    # and alpha's staff member cannot open the admin's visit on alpha's host
    r = gql(ONE, {"id": gid(a_admin)}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data["visit"] is None
    # the central host shows no agency list, even to the desk
    r = gql(AGENCY_VISITS, user=federation.user("desk"))
    assert r.data["visits"]["totalCount"] == 0


def test_technicians_are_listed_for_central_it_only(federation, fld):
    r = gql(TECHNICIANS, user=federation.user("desk"))
    rows = [e["node"] for e in r.data["technicians"]["edges"]]
    assert [n["username"] for n in rows] == ["t-ab", "t-m", "t-o", "t-office", "tech"]
    assert rows[0] == {
        "username": "t-ab",
        "homeCounty": "AB",
        "counties": ["AB", "D"],
        "calendar": "t always",
    }
    r = gql(TECHNICIANS, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert r.data == {"technicians": None}
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"


def _count(query, n, federation, fld, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        r = gql(query, **kwargs)
    assert not r.errors, r.errors
    return len(ctx.captured_queries)


def test_lists_keep_a_constant_number_of_queries(federation, fld):
    tech = federation.user("tech")
    desk = federation.user("desk")
    # given 2 visits of each kind
    for i in range(2):
        dispatched(federation, fld, tech="tech", day=i)
        request(federation, fld, windows=fld.windows((3, 9, 10)))
    small = [
        _count(MY, 2, federation, fld, user=tech),
        _count(TO_DISPATCH, 2, federation, fld, user=desk),
        _count(
            AGENCY_VISITS,
            2,
            federation,
            fld,
            agency=federation.alpha,
            user=federation.user("alpha-admin"),
        ),
    ]
    # when there are 8 of each (tech's visits a day apart, so tech is free for each)
    for i in range(6):
        dispatched(federation, fld, tech="tech", day=i + 2)
        request(federation, fld, windows=fld.windows((3, 9, 10)))
    large = [
        _count(MY, 8, federation, fld, user=tech),
        _count(TO_DISPATCH, 8, federation, fld, user=desk),
        _count(
            AGENCY_VISITS,
            8,
            federation,
            fld,
            agency=federation.alpha,
            user=federation.user("alpha-admin"),
        ),
    ]
    assert len(gql(MY, user=tech).data["myVisits"]) == 8
    assert large == small
