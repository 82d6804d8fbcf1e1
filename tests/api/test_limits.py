"""GraphQL limits (design.md §7), through the real /graphql/ endpoint: depth, aliases,
operations, cost, body size, page size, introspection and GraphiQL."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from graphql import build_schema, parse, validate

from api.core.limits import cost_limit_rule
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db

# Only the `agencies` resolver filters on the agency kind (member agencies); tenant routing
# reads tenants_agency too, so the refusal tests look for this marker.
AGENCIES_RESOLVER_SQL = '"tenants_agency"."kind" = \'agency\''

AGENCY_FIELDS = (
    "id name slug orgNumber securityLevel availabilityLevel headcount state isDemo createdAt "
    "domain __typename"
)


def _limits(**changes) -> dict:
    return {**settings.SAMNAV_GRAPHQL, **changes}


def _post(body: dict | str, *, user=None, agency=None):
    client = Client(HTTP_HOST=host_of(agency))
    if user is not None:
        client.force_login(user)
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.post("/graphql/", payload, content_type="application/json")


def _resolver_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if AGENCIES_RESOLVER_SQL in q["sql"]]


def _heavy_query(page: str) -> str:
    """15 aliases (the most allowed) of `agencies`, each selecting 36 fields per row."""
    aliases = "\n".join(
        f"  a{i}: agencies{page} {{ edges {{ node {{ ...F ...F ...F }} }} }}" for i in range(15)
    )
    return f"query Heavy {{\n{aliases}\n}}\nfragment F on Agency {{ {AGENCY_FIELDS} }}"


# --- depth ------------------------------------------------------------------------------------


def test_the_agencies_resolver_marker_matches_when_the_query_runs(federation):
    # given a query within every limit
    with CaptureQueriesContext(connection) as captured:
        # when it is sent
        response = gql("{ agencies { edges { node { slug } } } }", user=federation.user("root"))
    # then it ran, and the SQL marker used by the refusal tests saw its resolver
    assert response.status == 200
    assert [e["node"]["slug"] for e in response.data["agencies"]["edges"]] == ["alpha", "beta"]
    assert len(_resolver_queries(captured)) >= 1


def test_a_query_deeper_than_the_limit_is_refused_before_execution(federation):
    # given a depth limit of 2 levels below the root field, and a query 3 levels deep
    query = "{ agencies { edges { node { slug } } } }"
    with (
        override_settings(SAMNAV_GRAPHQL=_limits(MAX_DEPTH=2)),
        CaptureQueriesContext(connection) as captured,
    ):
        # when it is sent
        response = gql(query, user=federation.user("root"))
    # then it is refused with a clear error, and no resolver ran
    assert response.status == 400
    assert "data" not in response.body
    assert response.errors == [
        {
            "message": "Query depth 3 exceeds the limit of 2.",
            "locations": [{"line": 1, "column": 29}],
            "extensions": {"code": "QUERY_TOO_COMPLEX", "depth": 3},
        }
    ]
    assert _resolver_queries(captured) == []


def test_a_query_at_the_depth_limit_runs(federation):
    # given a depth limit of 3 and the same 3-level query
    with override_settings(SAMNAV_GRAPHQL=_limits(MAX_DEPTH=3)):
        # when it is sent
        response = gql("{ agencies { edges { node { slug } } } }", user=federation.user("root"))
    # then it runs
    assert response.status == 200
    assert response.errors == []
    assert len(response.data["agencies"]["edges"]) == 2


def test_the_default_depth_limit_refuses_eleven_levels(federation):
    # given the default limit of 10 and a document 11 levels deep (fields need not exist:
    # the limit is checked whatever the schema)
    deep = "{ a { b { c { d { e { f { g { h { i { j { k { l } } } } } } } } } } } }"
    # when it is sent
    response = gql(deep, user=federation.user("root"))
    # then one of the errors is the depth limit
    assert response.status == 400
    depth_errors = [e for e in response.errors if e.get("extensions", {}).get("depth")]
    assert [e["message"] for e in depth_errors] == ["Query depth 11 exceeds the limit of 10."]


def test_a_fragment_cycle_is_a_validation_error_not_a_crash(federation):
    # given a document whose fragments spread each other
    query = (
        "{ agencies { edges { node { ...A } } } }\n"
        "fragment A on Agency { slug ...B }\n"
        "fragment B on Agency { name ...A }"
    )
    # when it is sent
    response = gql(query, user=federation.user("root"))
    # then the standard rules report the cycle (no server error)
    assert response.status == 400
    assert "Cannot spread fragment 'A' within itself via 'B'." in [
        e["message"] for e in response.errors
    ]


def test_an_unknown_fragment_is_a_validation_error_not_a_crash(federation):
    response = gql("{ agencies { edges { node { ...Missing } } } }", user=federation.user("root"))
    assert response.status == 400
    assert [e["message"] for e in response.errors] == ["Unknown fragment 'Missing'."]


def test_the_standard_validation_rules_still_run(federation):
    # given a field that does not exist
    with CaptureQueriesContext(connection) as captured:
        response = gql(
            "{ agencies { edges { node { slug noSuchField } } } }", user=federation.user("root")
        )
    # then validation refuses it before execution
    assert response.status == 400
    assert [e["message"] for e in response.errors] == [
        "Cannot query field 'noSuchField' on type 'Agency'."
    ]
    assert _resolver_queries(captured) == []


# --- aliases and operations -------------------------------------------------------------------


def test_sixteen_aliases_are_refused(federation):
    # given 16 aliased fields, one over the limit of 15
    query = "{ " + " ".join(f"m{i}: me {{ username }}" for i in range(16)) + " }"
    # when it is sent
    response = gql(query, user=federation.user("root"))
    # then it is refused before execution
    assert response.status == 400
    assert "data" not in response.body
    assert [(e["message"], e["extensions"]) for e in response.errors] == [
        ("Too many aliases: at most 15 per request.", {"code": "QUERY_TOO_COMPLEX"})
    ]


def test_fifteen_aliases_are_allowed(federation):
    query = "{ " + " ".join(f"m{i}: me {{ username }}" for i in range(15)) + " }"
    response = gql(query, user=federation.user("root"))
    assert response.status == 200
    assert response.errors == []
    assert response.data == {f"m{i}": {"username": "root"} for i in range(15)}


def test_a_document_with_two_operations_is_refused(federation):
    # given two operations, the one to run named (it would run without the limit)
    body = {
        "query": "query A { me { username } } query B { agencies { edges { node { slug } } } }",
        "operationName": "B",
    }
    with CaptureQueriesContext(connection) as captured:
        # when it is sent
        response = _post(body, user=federation.user("root"))
    # then it is refused before execution
    assert response.status_code == 400
    assert "data" not in response.json()
    assert [(e["message"], e["extensions"]) for e in response.json()["errors"]] == [
        ("Too many operations in one document: at most 1.", {"code": "QUERY_TOO_COMPLEX"})
    ]
    assert _resolver_queries(captured) == []


# --- cost -------------------------------------------------------------------------------------


def test_a_costly_query_is_refused_with_its_cost(federation):
    # given 15 aliases of agencies(first: 100) with 36 fields per row:
    # per alias 1 + 100 * (edges 1 + node (1 + 36)) = 3801; 15 * 3801 = 57015 > 50000
    with CaptureQueriesContext(connection) as captured:
        # when it is sent
        response = gql(_heavy_query("(first: 100)"), user=federation.user("root"))
    # then it is refused before execution, naming its cost and the budget
    assert response.status == 400
    assert "data" not in response.body
    assert [(e["message"], e["extensions"]) for e in response.errors] == [
        (
            "Query cost 57015 exceeds the budget of 50000: ask for fewer rows (first/last) or "
            "fewer nested lists.",
            {"code": "QUERY_TOO_COMPLEX", "cost": 57015},
        )
    ]
    assert _resolver_queries(captured) == []


def test_the_same_query_with_small_pages_runs(federation):
    # given the same shape with first: 10: 15 * (1 + 10 * 38) = 5715
    response = gql(_heavy_query("(first: 10)"), user=federation.user("root"))
    # then it runs
    assert response.status == 200
    assert response.errors == []
    assert [e["node"]["slug"] for e in response.data["a0"]["edges"]] == [
        "alpha",
        "beta",
    ]


def test_a_connection_without_first_or_last_costs_a_full_page(federation):
    # given the heavy query without first: the connection still returns up to 100 rows
    response = gql(_heavy_query(""), user=federation.user("root"))
    # then it costs as much as with first: 100
    assert response.status == 400
    assert [e["extensions"] for e in response.errors] == [
        {"code": "QUERY_TOO_COMPLEX", "cost": 57015}
    ]


def test_a_page_size_variable_costs_a_full_page(federation):
    query = _heavy_query("(first: $n)").replace("query Heavy", "query Heavy($n: Int)")
    response = _post({"query": query, "variables": {"n": 1}}, user=federation.user("root"))
    assert response.status_code == 400
    assert [e["extensions"] for e in response.json()["errors"]] == [
        {"code": "QUERY_TOO_COMPLEX", "cost": 57015}
    ]


NESTED_SDL = """
type Query { agencies(first: Int, last: Int): AgencyConnection }
type AgencyConnection { edges: [AgencyEdge] }
type AgencyEdge { node: Agency }
type Agency { name: String people(first: Int, last: Int): PersonConnection }
type PersonConnection { edges: [PersonEdge] }
type PersonEdge { node: Person }
type Person { name: String }
"""


@pytest.mark.parametrize(
    ("inner", "cost"),
    [
        # person node 1 + 1 = 2; edges 1 + 2 = 3; people 1 + 100 * 3 = 301;
        # agency node 1 + (1 + 301) = 303; edges 304; agencies 1 + 100 * 304 = 30401
        ("(first: 100)", 30401),
        # people without first is a full page too
        ("", 30401),
        # people(last: 2): 1 + 2 * 3 = 7; node 1 + 8 = 9; edges 10; agencies 1 + 100 * 10 = 1001
        ("(last: 2)", 1001),
    ],
)
def test_nested_connections_multiply(inner, cost):
    # given a schema with a connection inside a connection, and a budget of 1000
    schema = build_schema(NESTED_SDL)
    people = f"people{inner} {{ edges {{ node {{ name }} }} }}"
    document = parse(f"{{ agencies(first: 100) {{ edges {{ node {{ name {people} }} }} }} }}")
    # when the cost rule validates it
    errors = validate(schema, document, [cost_limit_rule(1000, 100)])
    # then the cost multiplies through both pages
    assert [e.extensions["cost"] for e in errors] == [cost]


# --- body size and page size ------------------------------------------------------------------


def test_a_body_over_the_byte_limit_gets_413(federation):
    # given a body of 20001 bytes
    padding = "#" * 20000
    body = json.dumps({"query": "{ me { username } }\n" + padding})
    assert len(body.encode()) > 20000
    with CaptureQueriesContext(connection) as captured:
        # when it is posted
        response = _post(body, user=federation.user("root"))
    # then it is refused as too large
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": "Request body over 20000 bytes.",
                "extensions": {"code": "REQUEST_TOO_LARGE"},
            }
        ]
    }
    assert _resolver_queries(captured) == []


def test_a_query_string_over_the_byte_limit_gets_413(federation):
    # given a GET whose query string is over the limit
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(federation.user("root"))
    # when it is sent
    response = client.get(
        "/graphql/",
        {"query": "{ me { username } }\n" + "#" * 20000},
        HTTP_ACCEPT="application/json",
    )
    # then it is refused as too large
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE"}


def test_first_101_on_agencies_is_an_error(federation):
    # given a page size over the cap of 100
    response = gql(
        "{ agencies(first: 101) { edges { node { slug } } } }", user=federation.user("root")
    )
    # then the field errors and returns no rows
    assert response.data == {"agencies": None}
    assert [e["message"] for e in response.errors] == [
        "Requesting 101 records on the `agencies` connection exceeds the `first` limit of 100 "
        "records."
    ]


# --- introspection and GraphiQL ---------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_works_under_the_default_test_settings(federation):
    response = gql(INTROSPECTION, user=federation.user("root"))
    assert response.status == 200
    assert response.data == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize("query", [INTROSPECTION, '{ __type(name: "Agency") { name } }'])
def test_introspection_is_refused_when_disabled(federation, query):
    # given introspection switched off
    with override_settings(SAMNAV_GRAPHQL=_limits(INTROSPECTION=False)):
        # when a schema question is sent
        response = gql(query, user=federation.user("root"))
    # then it is refused before execution
    assert response.status == 400
    assert "data" not in response.body
    assert [e["extensions"] for e in response.errors] == [{"code": "INTROSPECTION_DISABLED"}]
    assert response.errors[0]["message"] == "Introspection is disabled on this server."


def test_typename_still_works_when_introspection_is_disabled(federation):
    # given introspection switched off (clients such as Apollo add __typename everywhere)
    with override_settings(SAMNAV_GRAPHQL=_limits(INTROSPECTION=False)):
        response = gql("{ __typename me { __typename username } }", user=federation.user("root"))
    # then __typename is still answered
    assert response.status == 200
    assert response.errors == []
    assert response.data == {
        "__typename": "Query",
        "me": {"__typename": "MeType", "username": "root"},
    }


def _graphiql_page():
    return Client(HTTP_HOST=host_of(None)).get("/graphql/", HTTP_ACCEPT="text/html")


def test_graphiql_is_served_when_enabled():
    response = _graphiql_page()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"graphiql" in response.content.lower()


def test_graphiql_is_not_served_when_disabled():
    # given GraphiQL switched off
    with override_settings(SAMNAV_GRAPHQL=_limits(GRAPHIQL=False)):
        # when a browser asks for the endpoint
        response = _graphiql_page()
    # then it gets a JSON error, not the GraphiQL page
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert b"graphiql" not in response.content.lower()
    assert response.json() == {
        "errors": [{"message": "Must provide query string.", "extensions": {"code": "BAD_QUERY"}}]
    }


def test_fragments_spread_inside_fragments_are_costed_without_blowing_up(federation):
    # given 40 fragments, each spreading the previous one twice: 2**40 fields once expanded
    fragments = ["fragment F0 on Agency { slug }"] + [
        f"fragment F{i} on Agency {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41)
    ]
    query = "{ agencies(first: 1) { edges { node { ...F40 } } } }\n" + "\n".join(fragments)
    # when it is sent
    response = gql(query, user=federation.user("root"))
    # then it is refused quickly, before validation: `slug` answers 2**40 times in `node`
    # (each fragment counted once, not expanded; api/core/field_pairs.py)
    assert response.status == 400
    assert [e["extensions"] for e in response.errors] == [{"code": "QUERY_TOO_COMPLEX"}]
    assert "repeats too many fields" in response.errors[0]["message"]
