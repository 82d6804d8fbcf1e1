"""People and their licence seats on an agency host (agency admins): the register, and
assigning and releasing seats through services/licences/seats/actions.py within the
agency's quota."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.licences.models import AgencyQuota
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tests.graphql import host_of
from tests.portal.admin.conftest import add_people, hold, make_pool
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def admin(federation, agency=None):
    agency = agency or federation.alpha
    return portal_client(agency, federation.user(f"{agency.slug}-admin"))


def seats_of(agency, person):
    with schema_context(agency.schema_name):
        return list(
            SeatAssignment.objects.filter(person_id=person.pk, released_at=None).values_list(
                "pool_id", flat=True
            )
        )


def counters(pool, agency):
    q = AgencyQuota.objects.get(pool=pool, agency=agency)
    return q.held_seats, q.assigned_seats


def test_staff_and_central_users_cannot_open_the_people_pages(federation, cat):
    [anna] = add_people(federation.alpha, ["Anna Alfa"])
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    assert staff.get("/seats/people/").status_code == 403
    assert staff.get(f"/seats/people/{anna.pk}/").status_code == 403
    # central users have no role on alpha's host, and the central host has no such page
    assert (
        portal_client(federation.alpha, federation.user("root")).get("/seats/people/").status_code
        == 403
    )
    assert portal_client(None, federation.user("root")).get("/seats/people/").status_code == 404


def test_the_register_lists_only_the_agencys_people_and_searches_by_name(federation, cat):
    add_people(federation.alpha, ["Anna Alfa", "Bo Alfa"])
    add_people(federation.beta, ["Anna Beta"])
    page = admin(federation).get("/seats/people/?q=anna", **EN)
    assert [p.name for p in page.context["people"]] == ["Anna Alfa"]
    everyone = admin(federation).get("/seats/people/")
    assert [p.name for p in everyone.context["people"]] == ["Anna Alfa", "Bo Alfa"]
    on_beta = admin(federation, federation.beta).get("/seats/people/")
    assert [p.name for p in on_beta.context["people"]] == ["Anna Beta"]


def test_the_register_keeps_its_queries_for_2_and_10_people_with_seats(federation, cat):
    pool = make_pool(cat, "adm Office", total=20)
    hold(pool, federation.alpha, quota=20, held=20)
    client = admin(federation)
    user = federation.user("alpha-admin")
    from services.licences.seats import actions

    def people(names):
        for person in add_people(federation.alpha, names):
            actions.assign_seat(federation.alpha, user, person.pk, pool.pk)

    people(["P0", "P1"])
    few, first = count_queries(lambda: client.get("/seats/people/"))
    people([f"P{i}" for i in range(2, 10)])
    more, second = count_queries(lambda: client.get("/seats/people/"))
    assert (len(first.context["people"]), len(second.context["people"])) == (2, 10)
    assert [s.pool.product for s in second.context["people"][9].active_seats] == ["adm Office"]
    assert more == few


def test_the_register_is_paginated(federation, cat):
    add_people(federation.alpha, [f"Person {i:02}" for i in range(27)])
    client = admin(federation)
    first = client.get("/seats/people/?q=Person", **EN)
    last = client.get("/seats/people/?q=Person&page=2", **EN)
    assert len(first.context["people"]) == 25 and len(last.context["people"]) == 2
    assert 'href="?q=Person&amp;page=2"' in first.content.decode()


def test_assigning_and_releasing_a_seat(federation, cat):
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=5, held=2)
    [anna] = add_people(federation.alpha, ["Anna Alfa"])
    client = admin(federation)
    page = client.get(f"/seats/people/{anna.pk}/", **EN)
    assert page.context["form"].fields["pool"].choices[1] == (pool.pk, "adm Office (2 of 2 free)")
    # when the admin assigns a seat
    response = client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk})
    assert response.status_code == 302
    assert seats_of(federation.alpha, anna) == [pool.pk]
    assert counters(pool, federation.alpha) == (2, 1)
    # and releases it with a reason
    with schema_context(federation.alpha.schema_name):
        seat = SeatAssignment.objects.get(person_id=anna.pk)
    response = client.post(
        f"/seats/people/{anna.pk}/seats/{seat.pk}/release/", {"reason": "Changed role"}
    )
    assert response.status_code == 302
    assert seats_of(federation.alpha, anna) == []
    assert counters(pool, federation.alpha) == (2, 0)
    with schema_context(federation.alpha.schema_name):
        assert SeatAssignment.objects.get(pk=seat.pk).release_reason == "Changed role"


def test_a_seat_beyond_what_the_agency_holds_is_refused_next_to_the_field(federation, cat):
    # given alpha holds one seat, already assigned to Bo
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=1, held=1)
    anna, bo = add_people(federation.alpha, ["Anna Alfa", "Bo Alfa"])
    client = admin(federation)
    client.post(f"/seats/people/{bo.pk}/", {"pool": pool.pk})
    # when Anna is given one too
    response = client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk}, **EN)
    # then the error is next to the licence field, and nothing changed
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "pool": ["All 1 seat(s) of adm Office that the agency holds are assigned: order more."]
    }
    assert 'id="id_pool_error"' in response.content.decode()
    assert seats_of(federation.alpha, anna) == []
    assert counters(pool, federation.alpha) == (1, 1)


def test_a_second_seat_of_the_same_pool_is_refused(federation, cat):
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=5, held=5)
    [anna] = add_people(federation.alpha, ["Anna Alfa"])
    client = admin(federation)
    client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk})
    response = client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk}, **EN)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This person already has a seat of this pool."
    ]
    assert counters(pool, federation.alpha) == (5, 1)


def test_a_pool_the_agency_holds_nothing_of_is_not_offered(federation, cat):
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.beta, quota=5, held=5)
    [anna] = add_people(federation.alpha, ["Anna Alfa"])
    client = admin(federation)
    response = client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk}, **EN)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["pool"]
    assert seats_of(federation.alpha, anna) == []


def test_beta_cannot_see_or_change_alphas_people_or_seats_by_id(federation, cat):
    # given Anna of alpha, with a seat, under an id beta does not use
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=2, held=2)
    hold(pool, federation.beta, quota=2, held=2)
    with schema_context(federation.alpha.schema_name):
        anna = Person.objects.create(pk=900_001, name="Anna Alfa")
        seat = SeatAssignment.objects.create(pk=900_002, pool=pool, person=anna)
    AgencyQuota.objects.filter(pool=pool, agency=federation.alpha).update(assigned_seats=1)
    beta = admin(federation, federation.beta)
    # when beta's admin opens or posts alpha's ids on beta's host, nothing is found
    assert beta.get(f"/seats/people/{anna.pk}/").status_code == 404
    assert beta.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk}).status_code == 404
    release = f"/seats/people/{anna.pk}/seats/{seat.pk}/release/"
    assert beta.post(release, {"reason": "x"}).status_code == 404
    # and on alpha's host beta's admin is refused
    on_alpha = portal_client(federation.alpha, federation.user("beta-admin"))
    assert on_alpha.get(f"/seats/people/{anna.pk}/").status_code == 403
    assert on_alpha.post(release, {"reason": "x"}).status_code == 403
    # and alpha's seat and beta's counters are unchanged
    assert seats_of(federation.alpha, anna) == [pool.pk]
    assert counters(pool, federation.alpha) == (2, 1)
    assert counters(pool, federation.beta) == (2, 0)


def test_a_seat_of_another_person_is_not_released_through_this_one(federation, cat):
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=2, held=2)
    anna, bo = add_people(federation.alpha, ["Anna Alfa", "Bo Alfa"])
    client = admin(federation)
    client.post(f"/seats/people/{bo.pk}/", {"pool": pool.pk})
    with schema_context(federation.alpha.schema_name):
        seat = SeatAssignment.objects.get(person_id=bo.pk)
    response = client.post(f"/seats/people/{anna.pk}/seats/{seat.pk}/release/", {})
    assert response.status_code == 404
    assert seats_of(federation.alpha, bo) == [pool.pk]


def test_assigning_needs_the_csrf_token(federation, cat):
    pool = make_pool(cat, "adm Office")
    hold(pool, federation.alpha, quota=2, held=2)
    [anna] = add_people(federation.alpha, ["Anna Alfa"])
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-admin"))
    assert client.post(f"/seats/people/{anna.pk}/", {"pool": pool.pk}).status_code == 403
    assert seats_of(federation.alpha, anna) == []
