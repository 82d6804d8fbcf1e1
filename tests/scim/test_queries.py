"""Filtering, paging and bad input of the SCIM Users endpoint: a SCIM error, never a 500."""

from __future__ import annotations

import pytest

from tests.scim.helpers import scim, token_of

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def alpha_people(federation):
    token = token_of(federation.alpha)
    ids = []
    for n in range(5):
        body = {
            "schemas": [USER],
            "userName": f"p{n}@alpha.example",
            "displayName": f"Person {n}",
            "externalId": f"ext-{n}",
        }
        r = scim("POST", "Users", body, agency=federation.alpha, token=token)
        assert r.status_code == 201, r.body
        ids.append(r.body["id"])
    return token, ids


def _get(federation, token, query: str):
    return scim("GET", f"Users?{query}", agency=federation.alpha, token=token)


@pytest.mark.parametrize(
    "expression",
    [
        'userName eq "P3@alpha.example"',
        'externalId eq "ext-3"',
        'emails[value eq "p3@alpha.example"]',
        'emails.value eq "p3@alpha.example"',
        'displayName sw "Person 3"',
        'userName eq "p3@alpha.example" and active eq true',
    ],
)
def test_filters_find_the_one_person(federation, alpha_people, expression):
    from urllib.parse import quote

    token, ids = alpha_people
    r = _get(federation, token, f"filter={quote(expression)}")
    assert r.status_code == 200, r.body
    assert r.body["totalResults"] == 1
    assert r.body["Resources"][0]["id"] == ids[3]


def test_paging_by_start_index_and_count(federation, alpha_people):
    token, ids = alpha_people
    r = _get(federation, token, "startIndex=2&count=2")
    assert (r.body["totalResults"], r.body["startIndex"], r.body["itemsPerPage"]) == (5, 2, 2)
    assert [u["id"] for u in r.body["Resources"]] == ids[1:3]
    r = _get(federation, token, "startIndex=5&count=10")
    assert [u["id"] for u in r.body["Resources"]] == ids[4:]
    assert _get(federation, token, "count=0").body["Resources"] == []
    r = _get(federation, token, "attributes=userName")
    assert set(r.body["Resources"][0]) <= {"schemas", "id", "userName"}
    r = scim(
        "POST",
        "Users/.search",
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "count": 1},
        agency=federation.alpha,
        token=token,
    )
    assert r.status_code == 200 and r.body["itemsPerPage"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "scim_type"),
    [
        ("GET", "Users?filter=userName%20eq", None, 400, "invalidFilter"),
        ("GET", "Users?filter=nope%20eq%20%221%22", None, 400, "invalidFilter"),
        ("GET", "Users?startIndex=x", None, 400, "invalidValue"),
        ("GET", "Users/abc", None, 404, None),
        ("GET", "Users/99999999999999999999", None, 404, None),
        ("GET", "Nothing", None, 404, None),
        ("POST", "Users", b"{not json", 400, "invalidSyntax"),
        ("POST", "Users", [1, 2], 400, "invalidSyntax"),
        ("POST", "Users", {"schemas": [USER]}, 400, None),
        ("POST", "Users", {"schemas": [USER], "userName": "not-an-address"}, 400, "invalidValue"),
        ("POST", "Users", {"schemas": [USER], "userName": 12}, 400, None),
        (
            "POST",
            "Users",
            {"schemas": [USER], "userName": "q@alpha.example", "phoneNumbers": [{"value": "12"}]},
            400,
            "invalidValue",
        ),
        (
            "POST",
            "Users",
            {"schemas": [USER], "userName": "q@alpha.example", "displayName": "x" * 201},
            400,
            "invalidValue",
        ),
        ("PATCH", "Users/{id}", {"Operations": "nope"}, 400, None),
        (
            "PATCH",
            "Users/{id}",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "explode", "path": "userName"}],
            },
            400,
            None,
        ),
        (
            "PATCH",
            "Users/{id}",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "nope", "value": 1}],
            },
            400,
            None,
        ),
        ("PUT", "Users/{id}", {"schemas": [USER], "userName": "bad"}, 400, "invalidValue"),
        ("DELETE", "Users", None, 405, None),
    ],
)
def test_bad_input_gets_a_scim_error(
    federation, alpha_people, method, path, body, status, scim_type
):
    token, ids = alpha_people
    raw = body if isinstance(body, bytes) else None
    r = scim(
        method,
        path.format(id=ids[0]),
        None if raw else body,
        agency=federation.alpha,
        token=token,
        raw=raw,
    )
    assert r.status_code == status, r.body
    assert r.body["schemas"] == [ERROR] and r.body["status"] == str(status)
    assert r.body.get("detail")
    if scim_type:
        assert r.body["scimType"] == scim_type
