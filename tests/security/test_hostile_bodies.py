"""Request bodies no client should send (issue 18): a wrong type for `query`, `variables` or
`operationName`, bodies and variables nested thousands deep, documents of too many tokens or
too many repeated fields. Each is a 400 with a message and a code, never a 500, and nothing
runs; with introspection off, no error suggests the schema's names."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _post(body: str) -> tuple[int, dict]:
    response = Client(HTTP_HOST="localhost").post(
        "/graphql/", body, content_type="application/json"
    )
    return response.status_code, response.json()


def _codes(body: dict) -> set[str]:
    return {e.get("extensions", {}).get("code") for e in body["errors"]}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": 5}, "BAD_QUERY"),
        ({"query": ["{ __typename }"]}, "BAD_QUERY"),
        ({"query": "{ __typename }", "variables": [1, 2]}, "BAD_VARIABLES"),
        ({"query": "{ __typename }", "variables": "[1]"}, "BAD_VARIABLES"),
        ({"query": "{ __typename }", "operationName": 5}, "BAD_OPERATION_NAME"),
    ],
)
def test_a_wrong_type_is_a_400_naming_the_part(federation, body, code):
    status, answer = _post(json.dumps(body))
    assert status == 400
    assert _codes(answer) == {code}
    assert "data" not in answer


def test_a_body_nested_thousands_deep_is_a_400(federation):
    nested = "[" * 3000 + "]" * 3000
    status, answer = _post('{"query": "{ __typename }", "variables": {"x": ' + nested + "}}")
    assert status == 400
    assert _codes(answer) == {"BODY_TOO_DEEP"}


@pytest.mark.parametrize("body", [b"\xff", b"{ __typename \xe0 }"])
def test_a_graphql_body_that_is_not_utf8_is_a_400(federation, body):
    # found by the malformed-body fuzzing (test_fuzz_schemathesis.py): it was a 500
    response = Client(HTTP_HOST="localhost").post(
        "/graphql/", body, content_type="application/graphql"
    )
    assert response.status_code == 400
    assert _codes(response.json()) == {"BAD_BODY"}


def test_variables_nested_too_deep_are_a_400_before_parsing(federation):
    deep: dict = {}
    inner = deep
    for _ in range(30):
        inner["x"] = {}
        inner = inner["x"]
    status, answer = _post(json.dumps({"query": "{ __typename }", "variables": {"v": deep}}))
    assert status == 400
    assert _codes(answer) == {"VARIABLES_TOO_DEEP"}
    # and as a JSON string, as graphene-django also accepts them
    status, answer = _post(json.dumps({"query": "{ __typename }", "variables": json.dumps(deep)}))
    assert (status, _codes(answer)) == (400, {"VARIABLES_TOO_DEEP"})


def test_parsing_stops_at_the_token_limit(federation):
    query = "{ " + "a " * 6000 + "}"  # 12 KB: under the body limit, over 2,000 tokens
    status, answer = _post(json.dumps({"query": query}))
    assert status == 400
    assert _codes(answer) == {"QUERY_TOO_COMPLEX"}
    assert "longer than 2000 tokens" in answer["errors"][0]["message"]


def test_a_field_repeated_in_one_selection_is_refused_before_validation(federation):
    # 200 fields in one selection set: 40,000 pairs for the merge rule, limit 10,000
    query = "{ " + "__typename " * 200 + "}"
    status, answer = _post(json.dumps({"query": query}))
    assert status == 400
    assert _codes(answer) == {"QUERY_TOO_COMPLEX"}
    # spread through a fragment, the same fields count in the set they are spread into
    fragment = "fragment F on Query { " + "__typename " * 40 + "}"
    query = "{ ...F ...F ...F ...F ...F } " + fragment
    status, answer = _post(json.dumps({"query": query}))
    assert (status, _codes(answer)) == (400, {"QUERY_TOO_COMPLEX"})
    # an ordinary query is untouched
    status, answer = _post(json.dumps({"query": "{ __typename }"}))
    assert (status, answer) == (200, {"data": {"__typename": "Query"}})


def test_no_suggestion_of_the_schemas_names_without_introspection(federation):
    query = json.dumps({"query": "{ agencie { edges { node { slug } } } }"})
    status, answer = _post(query)
    assert "Did you mean" in answer["errors"][0]["message"]  # the development default
    limits = {**settings.SAMNAV_GRAPHQL, "INTROSPECTION": False}
    with override_settings(SAMNAV_GRAPHQL=limits):
        status, answer = _post(query)
    assert status == 400
    assert all("Did you mean" not in e["message"] for e in answer["errors"])
    assert "agencies" not in json.dumps(answer)
