"""SCIM 2.0 provisioning of the people register (issue 19, part 2): each agency's identity
provider provisions its own people with its own token, and nobody else's."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.audit.models import AuditEvent
from services.licences.seats import actions as seat_actions
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from services.people.scim.models import ScimToken
from tenants.models import AgencyState, RoleGrant
from tests.licences.pools import build_pool
from tests.scim.helpers import SCIM, scim, token_of

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _user(email: str, name: str = "Ada Ek", **extra) -> dict:
    return {"schemas": [USER], "userName": email, "displayName": name, **extra}


def _create(agency, token, email, **extra):
    return scim("POST", "Users", _user(email, **extra), agency=agency, token=token)


def test_each_agency_provisions_its_own_people_with_its_own_token(federation):
    alpha, beta = federation.alpha, federation.beta
    ta, tb = token_of(alpha), token_of(beta)
    ra = _create(
        alpha,
        ta,
        "Ada.Ek@Alpha.Example",
        externalId="e-1",
        phoneNumbers=[{"value": "070-123 45 67"}],
    )
    rb = _create(beta, tb, "bo@beta.example", name="Bo Berg")
    assert ra.status_code == 201 and rb.status_code == 201, (ra.body, rb.body)
    assert ra["Content-Type"].startswith(SCIM)
    assert ra.body["userName"] == "ada.ek@alpha.example"
    assert ra.body["externalId"] == "e-1" and ra.body["active"] is True
    assert ra.body["phoneNumbers"] == [{"value": "+46701234567"}]
    assert ra["Location"].endswith(f"/scim/v2/Users/{ra.body['id']}")
    with schema_context(alpha.schema_name):
        person = Person.objects.get(pk=ra.body["id"])
        assert (person.email, person.name, person.external_id) == (
            "ada.ek@alpha.example",
            "Ada Ek",
            "e-1",
        )
    with schema_context(beta.schema_name):
        assert Person.objects.filter(email="bo@beta.example").exists()
    # the audit names the fields and the token, never the values
    event = AuditEvent.objects.filter(action="people.person.created").latest("pk")
    assert event.changes["via"] == "scim" and "ada" not in str(event.changes).lower()

    # alpha's token on beta's host is no token at all, and beta's people are not alpha's
    assert scim("GET", "Users", agency=beta, token=ta).status_code == 401
    assert scim("GET", f"Users/{rb.body['id']}", agency=beta, token=ta).status_code == 401
    # ids are per agency: the same id on alpha's host is alpha's own person, never beta's
    other = scim("GET", f"Users/{rb.body['id']}", agency=alpha, token=ta)
    assert other.status_code == 404 or other.body["userName"] != "bo@beta.example"
    assert scim("GET", "Users/999999", agency=alpha, token=ta).status_code == 404
    r = scim(
        "PATCH",
        f"Users/{rb.body['id']}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
        agency=beta,
        token=ta,
    )
    assert r.status_code == 401
    with schema_context(beta.schema_name):
        assert Person.objects.get(pk=rb.body["id"]).is_active
    listed = scim("GET", "Users", agency=alpha, token=ta).body
    assert [u["userName"] for u in listed["Resources"]] == ["ada.ek@alpha.example"]


def test_the_central_host_has_no_scim_and_no_token_is_refused(federation):
    token = token_of(federation.alpha)
    assert scim("GET", "Users", agency=None, token=token).status_code == 404
    for bad in (None, "nonsense", token + "x"):
        r = scim("GET", "Users", agency=federation.alpha, token=bad)
        assert r.status_code == 401 and r.body["schemas"] == [ERROR]


def test_a_revoked_or_expired_token_or_a_suspended_agency_provisions_nothing(federation):
    alpha = federation.alpha
    token = token_of(alpha)
    assert scim("GET", "Users", agency=alpha, token=token).status_code == 200
    with schema_context(alpha.schema_name):
        ScimToken.objects.update(expires_at=timezone.now())
    assert scim("GET", "Users", agency=alpha, token=token).status_code == 401
    token = token_of(alpha)
    type(alpha).objects.filter(pk=alpha.pk).update(state=AgencyState.SUSPENDED)
    r = _create(alpha, token, "x@alpha.example")
    assert r.status_code == 403
    assert r.body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]  # SCIM's form
    with schema_context(alpha.schema_name):
        assert not Person.objects.filter(email="x@alpha.example").exists()


def test_a_duplicate_user_name_is_a_conflict(federation):
    token = token_of(federation.alpha)
    assert _create(federation.alpha, token, "dup@alpha.example").status_code == 201
    r = _create(federation.alpha, token, "DUP@alpha.example")
    assert r.status_code == 409 and r.body["scimType"] == "uniqueness"
    assert r.body["status"] == "409" and "userName" in r.body["detail"]


def test_entra_id_deactivation_by_patch_releases_the_seat_and_ends_the_roles(federation):
    alpha = federation.alpha
    _cat, pool = build_pool(federation)
    pool.quotas.filter(agency=alpha).update(held_seats=1)
    staff = federation.user("alpha-staff")
    with schema_context(alpha.schema_name):
        person = Person.objects.create(user_id=staff.pk, name="Lea Ver", email="lea@alpha.example")
    seat = seat_actions.assign_seat(alpha, federation.user("alpha-admin"), person.pk, pool.pk)
    token = token_of(alpha)
    r = scim(
        "PATCH",
        f"Users/{person.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "Replace", "value": {"active": False}}]},
        agency=alpha,
        token=token,
    )
    assert r.status_code == 200, r.body
    assert r.body["active"] is False
    with schema_context(alpha.schema_name):
        assert SeatAssignment.objects.get(pk=seat.pk).released_at is not None
        assert not Person.objects.get(pk=person.pk).is_active
    assert not RoleGrant.objects.filter(user=staff, agency=alpha).exists()
    assert AuditEvent.objects.filter(action="people.person.deactivated").exists()


def test_patch_put_and_delete(federation):
    alpha = federation.alpha
    token = token_of(alpha)
    id = _create(alpha, token, "cai@alpha.example", name="Cai Ceder").body["id"]
    ops = [
        {"op": "replace", "path": "displayName", "value": "Cai Ek"},
        {"op": "add", "path": "phoneNumbers", "value": [{"value": "+46701112233"}]},
        {"op": "replace", "path": "externalId", "value": "x-9"},
    ]
    r = scim(
        "PATCH", f"Users/{id}", {"schemas": [PATCH], "Operations": ops}, agency=alpha, token=token
    )
    assert r.status_code == 200, r.body
    assert (r.body["displayName"], r.body["externalId"]) == ("Cai Ek", "x-9")
    assert r.body["phoneNumbers"] == [{"value": "+46701112233"}]
    # Entra ID's habits: booleans as text, and the work address by a filter path
    ops = [
        {"op": "Replace", "path": "active", "value": "True"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "cai@alpha.example"},
    ]
    r = scim(
        "PATCH", f"Users/{id}", {"schemas": [PATCH], "Operations": ops}, agency=alpha, token=token
    )
    assert r.status_code == 200 and r.body["active"] is True, r.body
    ops = [{"op": "remove", "path": "phoneNumbers"}]
    r = scim(
        "PATCH", f"Users/{id}", {"schemas": [PATCH], "Operations": ops}, agency=alpha, token=token
    )
    assert r.status_code == 200 and "phoneNumbers" not in r.body
    r = scim(
        "PUT", f"Users/{id}", _user("cai.ek@alpha.example", "Cai Ek"), agency=alpha, token=token
    )
    assert r.status_code == 200 and r.body["userName"] == "cai.ek@alpha.example"
    assert "externalId" not in r.body  # a replacement without it clears it
    assert scim("DELETE", f"Users/{id}", agency=alpha, token=token).status_code == 204
    with schema_context(alpha.schema_name):
        assert not Person.objects.get(pk=id).is_active  # kept, deactivated
    # no longer a SCIM resource, but kept in the register for what names the person
    gone = scim("GET", f"Users/{id}", agency=alpha, token=token)
    assert gone.status_code == 404 and gone.body["status"] == "404"
    assert scim("DELETE", f"Users/{id}", agency=alpha, token=token).status_code == 404
