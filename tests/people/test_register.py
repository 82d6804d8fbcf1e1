"""The people register (issue 19, part 3): agency admins list, add, edit, deactivate and import
their people, in GraphQL and in the portal; every member corrects their own contact details;
nobody else sees an agency's people, and nothing personal is written outside its schema."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.audit.models import AuditEvent
from services.licences.seats import actions as seat_actions
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tenants.models import ApiToken, RoleGrant, User
from tests.graphql import gql, host_of
from tests.licences.pools import build_pool

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: PersonInput!) {
  createPerson(input: $input) { person { id name email phone postalCode costCentre }
    errors { field code message } } }"""
UPDATE = """mutation($p: ID!, $input: PersonUpdateInput!) {
  updatePerson(person: $p, input: $input) { person { name phone } errors { field code } } }"""
PEOPLE = "{ people(first: 50) { totalCount edges { node { name email } } } }"


def _create(federation, agency=None, user="alpha-admin", **fields):
    agency = agency or federation.alpha
    return gql(
        CREATE, {"input": {"name": "Ada Ek", **fields}}, agency=agency, user=federation.user(user)
    )


def _count(agency) -> int:
    with schema_context(agency.schema_name):
        return Person.objects.count()


def test_an_admin_adds_a_person_and_the_details_are_stored_as_the_register_keeps_them(federation):
    r = _create(
        federation,
        email=" Ada.Ek@Alpha.Example ",
        phone="070-123 45 67",
        postalCode="75320",
        costCentre="IT-12",
    )
    payload = r.data["createPerson"]
    assert payload["errors"] == []
    assert payload["person"] | {"id": None} == {
        "id": None,
        "name": "Ada Ek",
        "email": "ada.ek@alpha.example",
        "phone": "+46701234567",
        "postalCode": "753 20",
        "costCentre": "IT-12",
    }
    # the audit row names the fields, never their values
    event = AuditEvent.objects.get(action="people.person.created")
    assert "ada" not in str(event.changes).lower() and "postal_code" in str(event.changes)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "  "}, "name", "REQUIRED"),
        ({"email": "not-an-address"}, "email", "INVALID"),
        ({"phone": "12"}, "phone", "INVALID"),
        ({"postalCode": "1234"}, "postalCode", "INVALID"),
        ({"costCentre": "x" * 41}, "costCentre", "TOO_LONG"),
        ({"employmentEndsOn": "2099-01-01"}, "employmentEndsOn", "DATE_OUT_OF_RANGE"),
    ],
)
def test_bad_details_are_refused_by_field_and_nothing_is_written(federation, fields, field, code):
    before = _count(federation.alpha)
    r = _create(federation, **fields)
    payload = (r.data or {}).get("createPerson")
    if payload is not None:  # the action's field errors
        assert {(e["field"], e["code"]) for e in payload["errors"]} == {(field, code)}
    else:  # refused before anything ran (a date beyond the sensible range)
        [error] = r.errors
        assert error["extensions"] == {"code": "DATE_OUT_OF_RANGE", "field": f"input.{field}"}
    assert _count(federation.alpha) == before


def test_an_address_already_in_the_register_is_a_duplicate(federation):
    assert _create(federation, email="ada@alpha.example").data["createPerson"]["errors"] == []
    again = _create(federation, email="ADA@alpha.example").data["createPerson"]
    assert again["errors"] == [
        {"field": "email", "code": "DUPLICATE", "message": again["errors"][0]["message"]}
    ]


def test_staff_and_other_agencies_cannot_keep_the_register(federation):
    assert _create(federation, user="alpha-staff").data["createPerson"]["errors"][0]["code"] == (
        "PERMISSION_DENIED"
    )
    pk = _create(federation).data["createPerson"]["person"]["id"]
    # beta's admin, on beta's host or alpha's, cannot change alpha's person
    for agency in (federation.beta, federation.alpha):
        r = gql(
            UPDATE,
            {"p": pk, "input": {"name": "X"}},
            agency=agency,
            user=federation.user("beta-admin"),
        )
        if agency == federation.alpha:  # not a member of alpha: the host refuses them
            assert r.status == 403
        else:
            payload = r.data["updatePerson"]
            assert payload["person"] is None and payload["errors"], payload
    # and beta's people list shows none of alpha's
    names = [
        e["node"]["name"]
        for e in gql(PEOPLE, agency=federation.beta, user=federation.user("beta-admin")).data[
            "people"
        ]["edges"]
    ]
    assert "Ada Ek" not in names


def test_a_member_sees_and_corrects_only_their_own_details(federation):
    with schema_context("agency_alpha"):
        me = Person.objects.create(user_id=federation.user("alpha-staff").pk, name="Sam Staff")
        Person.objects.create(name="Someone Else", email="else@alpha.example")
    staff = federation.user("alpha-staff")
    r = gql(PEOPLE, agency=federation.alpha, user=staff)
    assert [e["node"]["name"] for e in r.data["people"]["edges"]] == ["Sam Staff"]
    mine = gql(
        """mutation { updateMyDetails(input: {phone: "08-123 456 78", city: "Uppsala"})
                 { person { phone city name } errors { field code } } }""",
        agency=federation.alpha,
        user=staff,
    ).data["updateMyDetails"]
    assert mine == {
        "person": {"phone": "+46812345678", "city": "Uppsala", "name": "Sam Staff"},
        "errors": [],
    }
    # the name is not a contact detail: the input has no such field
    r = gql(
        'mutation { updateMyDetails(input: {name: "Boss"}) { errors { code } } }',
        agency=federation.alpha,
        user=staff,
    )
    assert r.errors and r.errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    with schema_context("agency_alpha"):
        assert Person.objects.get(pk=me.pk).name == "Sam Staff"


def test_deactivating_a_person_releases_their_seats_and_ends_their_roles(federation):
    _cat, pool = build_pool(federation)
    pool.quotas.filter(agency=federation.alpha).update(held_seats=1)
    staff = federation.user("alpha-staff")
    with schema_context("agency_alpha"):
        person = Person.objects.create(user_id=staff.pk, name="Lea Ver")
    seat = seat_actions.assign_seat(
        federation.alpha, federation.user("alpha-admin"), person.pk, pool.pk
    )
    ApiToken.objects.create(user=staff, prefix="snv_x", digest="d" * 64)
    r = gql(
        "mutation($p: ID!) { deactivatePerson(person: $p) { person { isActive } "
        "errors { code } } }",
        {"p": to_global_id("Person", person.pk)},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["deactivatePerson"] == {"person": {"isActive": False}, "errors": []}
    with schema_context("agency_alpha"):
        assert SeatAssignment.objects.get(pk=seat.pk).released_at is not None
    assert not RoleGrant.objects.filter(user=staff, agency=federation.alpha).exists()
    assert not User.objects.get(pk=staff.pk).is_active  # no role left anywhere
    assert ApiToken.objects.get(user=staff).revoked_at is not None


CSV = """name;email;phone;postal_code;cost_centre
Bo Berg;bo@alpha.example;070-111 22 33;11122;IT
Cai Ceder;cai@alpha.example;;;
"""


def _import(federation, content: str):
    return gql(
        """mutation($c: String!) { importPeople(contentBase64: $c) { created updated
                 errors { field code message } } }""",
        {"c": base64.b64encode(content.encode()).decode()},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    ).data["importPeople"]


def test_a_file_is_imported_whole_and_a_known_address_updates(federation):
    assert _import(federation, CSV) == {"created": 2, "updated": 0, "errors": []}
    again = _import(federation, "name,email,cost_centre\nBo Berg,BO@alpha.example,HR\n")
    assert again == {"created": 0, "updated": 1, "errors": []}
    with schema_context("agency_alpha"):
        assert Person.objects.get(email="bo@alpha.example").cost_centre == "HR"


def test_a_file_with_bad_lines_names_each_and_writes_nothing(federation):
    before = _count(federation.alpha)
    bad = CSV + "Dan Dal;not-an-address;;;\n;eva@alpha.example;;;\nFia;bo@alpha.example;;;\n"
    result = _import(federation, bad)
    messages = [e["message"] for e in result["errors"]]
    assert result["created"] is None and {e["field"] for e in result["errors"]} == {"file"}
    assert any(m.startswith("4: email:") for m in messages), messages
    assert any(m.startswith("5: name:") for m in messages), messages
    assert any(m.startswith("6: email:") and "line 2" in m for m in messages), messages
    assert _count(federation.alpha) == before


def test_the_portal_register_and_my_details(federation):
    admin = Client(HTTP_HOST=host_of(federation.alpha))
    admin.force_login(federation.user("alpha-admin"))
    response = admin.post(
        "/people/add/", {"name": "Gun Gran", "email": "gun@alpha.example", "postal_code": "12345"}
    )
    assert response.status_code == 302
    assert "Gun Gran" in admin.get("/people/").content.decode()
    bad = admin.post("/people/add/", {"name": "Gun Two", "email": "gun@alpha.example"})
    assert bad.status_code == 200 and "has-error" in bad.content.decode()
    staff = Client(HTTP_HOST=host_of(federation.alpha))
    staff.force_login(federation.user("alpha-staff"))
    assert staff.get("/people/").status_code == 403
    assert staff.get("/people/mine/").status_code == 200
    other = Client(HTTP_HOST=host_of(federation.beta))
    other.force_login(federation.user("beta-admin"))
    with schema_context("agency_alpha"):
        pk = Person.objects.get(name="Gun Gran").pk
    assert other.get(f"/people/{pk}/").status_code == 404 or "Gun Gran" not in (
        other.get(f"/people/{pk}/").content.decode()
    )
