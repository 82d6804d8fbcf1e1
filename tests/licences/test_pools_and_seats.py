"""Pools, quotas and seats through GraphQL: who sees what, who may do what."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.licences.models import AgencyQuota
from services.licences.seats.actions import release_leavers
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tests.graphql import gql
from tests.licences.pools import build_pool

pytestmark = pytest.mark.django_db

ASSIGN = """mutation($pool: ID!, $person: ID!) { assignSeat(pool: $pool, person: $person) {
  seat { id pool { product } person { name } } errors { field code message } } }"""
RELEASE = """mutation($seat: ID!) { releaseSeat(seat: $seat) { seat { releasedAt }
  errors { field code } } }"""
POOLS = """{ licencePools(first: 50) { totalCount edges { node { product totalSeats capacity
  quotas { agency { slug } quotaSeats heldSeats assignedSeats overQuota } } } } }"""


def _people(agency, n):
    with schema_context(agency.schema_name):
        return [
            Person.objects.create(name=f"Person {i}", email=f"p{i}@{agency.slug}.se")
            for i in range(n)
        ]


def _hold(pool, agency, seats):
    AgencyQuota.objects.filter(pool=pool, agency=agency).update(held_seats=seats)


def gid(kind, obj):
    return to_global_id(kind, obj.pk)


def test_seats_go_to_people_up_to_what_the_agency_holds(federation):
    _cat, pool = build_pool(federation)
    _hold(pool, federation.alpha, 2)
    people = _people(federation.alpha, 3)
    admin = federation.user("alpha-admin")
    for person in people[:2]:
        r = gql(
            ASSIGN,
            {"pool": gid("LicencePool", pool), "person": gid("Person", person)},
            agency=federation.alpha,
            user=admin,
        )
        assert r.data["assignSeat"]["errors"] == []
    r = gql(
        ASSIGN,
        {"pool": gid("LicencePool", pool), "person": gid("Person", people[2])},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["assignSeat"]["errors"][0]["code"] == "NO_FREE_SEAT"
    r = gql(
        ASSIGN,
        {"pool": gid("LicencePool", pool), "person": gid("Person", people[0])},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["assignSeat"]["errors"][0]["code"] in {"ALREADY_ASSIGNED", "NO_FREE_SEAT"}
    assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).assigned_seats == 2
    # releasing frees the seat for the third person
    with schema_context("agency_alpha"):
        seat = SeatAssignment.objects.filter(person=people[0]).get()
    r = gql(RELEASE, {"seat": gid("Seat", seat)}, agency=federation.alpha, user=admin)
    assert r.data["releaseSeat"]["errors"] == []
    r = gql(
        ASSIGN,
        {"pool": gid("LicencePool", pool), "person": gid("Person", people[2])},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["assignSeat"]["errors"] == []
    assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).assigned_seats == 2


def test_leavers_seats_are_released(federation):
    _cat, pool = build_pool(federation)
    _hold(pool, federation.alpha, 2)
    leaver, stayer = _people(federation.alpha, 2)
    admin = federation.user("alpha-admin")
    for person in (leaver, stayer):
        gql(
            ASSIGN,
            {"pool": gid("LicencePool", pool), "person": gid("Person", person)},
            agency=federation.alpha,
            user=admin,
        )
    with schema_context("agency_alpha"):
        Person.objects.filter(pk=leaver.pk).update(employment_ends_on=dt.date(2026, 1, 31))
    assert release_leavers(federation.alpha, today=dt.date(2026, 2, 1)) == 1
    with schema_context("agency_alpha"):
        active = SeatAssignment.objects.filter(released_at=None)
        assert list(active.values_list("person_id", flat=True)) == [stayer.pk]
        assert SeatAssignment.objects.get(person=leaver).release_reason == "Employment ended"
    assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).assigned_seats == 1


@pytest.mark.parametrize("who", ["alpha-staff", "root", "cat"])
def test_only_the_agencys_admins_assign_its_seats(federation, who):
    _cat, pool = build_pool(federation)
    _hold(pool, federation.alpha, 5)
    [person] = _people(federation.alpha, 1)
    for agency in (federation.alpha, None):
        r = gql(
            ASSIGN,
            {"pool": gid("LicencePool", pool), "person": gid("Person", person)},
            agency=agency,
            user=federation.user(who),
        )
        assert r.status == 403 or r.data["assignSeat"]["errors"][0]["code"] == ("PERMISSION_DENIED")
    with schema_context("agency_alpha"):
        assert not SeatAssignment.objects.exists()


def test_an_admin_of_b_cannot_reach_as_people_or_seats(federation):
    _cat, pool = build_pool(federation, beta_quota=10)
    _hold(pool, federation.beta, 5)
    [alpha_person] = _people(federation.alpha, 1)
    # B's admin on B's host, with A's person's id: B's schema has no such person
    r = gql(
        ASSIGN,
        {"pool": gid("LicencePool", pool), "person": gid("Person", alpha_person)},
        agency=federation.beta,
        user=federation.user("beta-admin"),
    )
    with schema_context("agency_beta"):
        assignments = list(SeatAssignment.objects.values_list("person_id", flat=True))
        beta_has_same_pk = Person.objects.filter(pk=alpha_person.pk).exists()
    if not beta_has_same_pk:
        assert r.data["assignSeat"]["errors"][0]["code"] == "NOT_FOUND"
    with schema_context("agency_alpha"):
        assert not SeatAssignment.objects.exists()
    # B's admin on A's host gets nothing
    r = gql(
        "{ people { totalCount } seats { totalCount } }",
        agency=federation.alpha,
        user=federation.user("beta-admin"),
    )
    assert r.status == 403 and r.data is None
    assert all(pk != alpha_person.pk or beta_has_same_pk for pk in assignments)


def test_pool_visibility_central_sees_all_agencies_own_quota_only(federation):
    _cat, pool = build_pool(federation, alpha_quota=30, beta_quota=20)
    _hold(pool, federation.beta, 7)
    central = gql(POOLS, user=federation.user("cat")).data["licencePools"]["edges"]
    quotas = {q["agency"]["slug"]: q for q in central[0]["node"]["quotas"]}
    assert set(quotas) == {"alpha", "beta"} and quotas["beta"]["heldSeats"] == 7
    own = gql(POOLS, agency=federation.alpha, user=federation.user("alpha-admin"))
    [node] = [e["node"] for e in own.data["licencePools"]["edges"]]
    assert [q["agency"]["slug"] for q in node["quotas"]] == ["alpha"]
    staff = gql(POOLS, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert staff.data["licencePools"]["totalCount"] == 0
    # an agency with no quota in a pool does not see it
    AgencyQuota.objects.filter(agency=federation.beta).delete()
    r = gql(POOLS, agency=federation.beta, user=federation.user("beta-admin"))
    assert r.data["licencePools"]["totalCount"] == 0


def _count(query, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        r = gql(query, **kwargs)
    assert not r.errors, r.errors
    return len(ctx.captured_queries)


SEATS = """{ seats(first: 100) { totalCount edges { node { startsOn pool { product }
  person { name email } } } } }"""


def test_lists_keep_a_constant_number_of_queries(federation):
    from services.licences.models import LicencePool

    _cat, pool = build_pool(federation, prefix="q0")
    _hold(pool, federation.alpha, 100)
    admin = federation.user("alpha-admin")
    people = _people(federation.alpha, 50)
    with schema_context("agency_alpha"):
        for p in people[:5]:
            SeatAssignment.objects.create(pool=pool, person=p)
    small = (
        _count(POOLS, user=federation.user("cat")),
        _count(SEATS, agency=federation.alpha, user=admin),
    )
    with schema_context("agency_alpha"):
        for p in people[5:]:
            SeatAssignment.objects.create(pool=pool, person=p)
    for i in range(1, 6):
        _c, extra = build_pool(federation, prefix=f"q{i}", alpha_quota=1, beta_quota=1)
    assert LicencePool.objects.count() >= 6
    assert (
        _count(POOLS, user=federation.user("cat")),
        _count(SEATS, agency=federation.alpha, user=admin),
    ) == small


def test_compliance_central_sees_the_pool_an_agency_its_own_position(federation):
    _cat, pool = build_pool(federation, total=100, alpha_quota=30, beta_quota=20)
    AgencyQuota.objects.filter(pool=pool, agency=federation.alpha).update(
        held_seats=35, assigned_seats=10
    )
    q = (
        "{ licencePools { edges { node { compliance { owned held assigned overOrUnder } "
        "myCompliance { quota held assigned overQuota underQuota } } } } }"
    )
    central = gql(q, user=federation.user("cat")).data["licencePools"]["edges"][0]["node"]
    assert central["compliance"] == {"owned": 100, "held": 35, "assigned": 10, "overOrUnder": 65}
    assert central["myCompliance"] is None
    own = gql(q, agency=federation.alpha, user=federation.user("alpha-admin"))
    node = own.data["licencePools"]["edges"][0]["node"]
    assert node["compliance"] is None
    assert node["myCompliance"] == {
        "quota": 30,
        "held": 35,
        "assigned": 10,
        "overQuota": 5,
        "underQuota": 0,
    }


def test_the_daily_fan_out_releases_leavers_in_every_active_agency(federation):
    from tenants.tasks import for_each_agency

    _cat, pool = build_pool(federation, beta_quota=5)
    _hold(pool, federation.alpha, 1)
    _hold(pool, federation.beta, 1)
    for agency in (federation.alpha, federation.beta):
        [person] = _people(agency, 1)
        with schema_context(agency.schema_name):
            SeatAssignment.objects.create(pool=pool, person=person)
            Person.objects.filter(pk=person.pk).update(employment_ends_on=dt.date(2020, 1, 1))
        AgencyQuota.objects.filter(pool=pool, agency=agency).update(assigned_seats=1)
    federation.beta.__class__.objects.filter(pk=federation.beta.pk).update(state="suspended")
    # when the beat's fan-out runs (eagerly here), suspended agencies are skipped
    sent = for_each_agency.delay("services.licences.seats.tasks.release_leavers_seats").get()
    assert sent == federation.alpha.__class__.objects.members().filter(state="active").count()
    with schema_context("agency_alpha"):
        assert not SeatAssignment.objects.filter(released_at=None).exists()
    with schema_context("agency_beta"):
        assert SeatAssignment.objects.filter(released_at=None).count() == 1


@pytest.mark.parametrize(
    ("make", "field", "code"),
    [
        (
            lambda pool, p: {"pool": to_global_id("LicencePool", 999999), "person": p},
            "pool",
            "NOT_FOUND",
        ),
        (
            lambda pool, p: {"pool": pool, "person": to_global_id("Person", 999999)},
            "person",
            "NOT_FOUND",
        ),
        (
            lambda pool, p: {"pool": pool, "person": to_global_id("Agency", 1)},
            "person",
            "NOT_FOUND",
        ),
        (lambda pool, p: {"pool": "not-an-id", "person": p}, "pool", "NOT_FOUND"),
    ],
)
def test_bad_seat_requests_are_named_and_write_nothing(federation, make, field, code):
    _cat, pool = build_pool(federation)
    _hold(pool, federation.alpha, 5)
    [person] = _people(federation.alpha, 1)
    args = make(gid("LicencePool", pool), gid("Person", person))
    r = gql(ASSIGN, args, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert (
        r.data["assignSeat"]["errors"][0]["field"],
        r.data["assignSeat"]["errors"][0]["code"],
    ) == (field, code)
    with schema_context("agency_alpha"):
        assert not SeatAssignment.objects.exists()
    assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).assigned_seats == 0


def test_a_leaver_gets_no_seat_and_an_unknown_seat_is_not_released(federation):
    _cat, pool = build_pool(federation)
    _hold(pool, federation.alpha, 5)
    [person] = _people(federation.alpha, 1)
    with schema_context("agency_alpha"):
        Person.objects.filter(pk=person.pk).update(employment_ends_on=dt.date(2020, 1, 1))
    r = gql(
        ASSIGN,
        {"pool": gid("LicencePool", pool), "person": gid("Person", person)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["assignSeat"]["errors"][0]["field"] == "person"
    r = gql(
        RELEASE,
        {"seat": to_global_id("Seat", 424242)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["releaseSeat"]["errors"] == [{"field": "seat", "code": "NOT_FOUND"}]
