"""Hostile GraphQL (design.md §7): deep nesting, hundreds of aliases, many operations in one
document, a batch sent as a JSON array, huge lists in inputs, introspection under the
production settings. Each is refused before execution with a clear error; and a real server
under a stream of such requests keeps answering an ordinary caller quickly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.browser.server import REPO
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db

# The SQL of the `agencies` resolver (tests/api/test_limits.py): absent when nothing ran.
AGENCIES_SQL = '"tenants_agency"."kind" = \'agency\''


def _executed(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if AGENCIES_SQL in q["sql"]]


def _refused(response, code: str = "QUERY_TOO_COMPLEX") -> list[str]:
    assert response.status == 400, response.body
    assert "data" not in response.body
    assert {e.get("extensions", {}).get("code") for e in response.errors} >= {code}
    return [e["message"] for e in response.errors]


def test_thirty_levels_of_nesting_are_refused_before_execution(federation):
    # given a query nested far beyond the depth limit of 10
    query = "{ agencies { " + "edges { node { " * 15 + "slug" + " } }" * 15 + " } }"
    with CaptureQueriesContext(connection) as captured:
        started = time.monotonic()
        # when it is sent
        response = gql(query, user=federation.user("root"))
        elapsed = time.monotonic() - started
    # then it is refused with its depth (the shape is not the schema's either), quickly, and
    # no resolver ran
    assert "Query depth 31 exceeds the limit of 10." in _refused(response)
    assert _executed(captured) == []
    assert elapsed < 2.0


def test_two_hundred_levels_of_nesting_are_refused_by_the_parser(federation):
    # given a document nested deeper than graphql-core's parser accepts
    query = "{ agencies { " + "edges { node { " * 100 + "slug" + " } }" * 100 + " } }"
    with CaptureQueriesContext(connection) as captured:
        # when it is sent
        response = gql(query, user=federation.user("root"))
    # then parsing stops with a clear error, before validation and execution
    assert response.status == 400
    assert "data" not in response.body
    assert [e["message"] for e in response.errors] == [
        "Syntax Error: Document is nested too deeply. Parsing aborted."
    ]
    assert _executed(captured) == []


def test_three_hundred_aliases_are_refused_with_one_error(federation):
    # given 300 aliases of the same cheap field (1,800 tokens: under the token limit, 2,000;
    # 500 would stop the parser first, test_hostile_bodies.py)
    query = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(300)) + " }"
    # when it is sent
    response = gql(query, user=federation.user("root"))
    # then it is refused once (not one error per alias)
    assert _refused(response) == ["Too many aliases: at most 15 per request."]


def test_a_document_with_fifty_operations_is_refused(federation):
    # given fifty named operations in one document
    query = "\n".join(f"query Q{i} {{ agencies {{ totalCount }} }}" for i in range(50))
    with CaptureQueriesContext(connection) as captured:
        # when it is sent, naming one of them
        client = Client(HTTP_HOST=host_of(None))
        client.force_login(federation.user("root"))
        raw = client.post(
            "/graphql/",
            json.dumps({"query": query, "operationName": "Q0"}),
            content_type="application/json",
        )
    # then it is refused before execution
    assert raw.status_code == 400
    body = raw.json()
    assert "data" not in body
    assert [e["message"] for e in body["errors"]] == [
        "Too many operations in one document: at most 1."
    ]
    assert _executed(captured) == []


def test_a_batch_sent_as_a_json_array_is_refused(federation):
    # given 100 requests in one JSON array (batching is off)
    batch = [{"query": "{ agencies { totalCount } }"} for _ in range(100)]
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(federation.user("root"))
    with CaptureQueriesContext(connection) as captured:
        # when it is posted
        raw = client.post("/graphql/", json.dumps(batch), content_type="application/json")
    # then it is refused with a clear error, and nothing ran
    assert raw.status_code == 400
    [error] = raw.json()["errors"]
    assert error == {
        "message": "The received data is not a valid JSON query.",
        "extensions": {"code": "BAD_BODY"},
    }
    assert _executed(captured) == []


def test_a_literal_list_of_a_thousand_items_is_refused(federation):
    # given a list argument of 1000 states written in the document (under the byte limit)
    states = ", ".join(["NEW"] * 1000)
    query = f"{{ serviceDeskQueue(states: [{states}]) {{ totalCount }} }}"
    assert len(query) < settings.SAMNAV_GRAPHQL["MAX_QUERY_BYTES"]
    # when it is sent
    response = gql(query, user=federation.user("desk"))
    # then it is refused before execution, naming the size and the limit
    assert _refused(response) == ["A list in the input has 1000 items: at most 100 are allowed."]
    assert response.errors[0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "items": 1000}


def test_a_list_of_2500_items_in_the_variables_is_refused(federation):
    # given 2500 states sent as a variable (the validation rules never see variables), in a
    # body under the byte limit
    query = "query Q($s: [TicketState!]) { serviceDeskQueue(states: $s) { totalCount } }"
    with CaptureQueriesContext(connection) as captured:
        # when it is sent
        response = gql(query, {"s": ["NEW"] * 2500}, user=federation.user("desk"))
    # then it is refused before execution
    assert _refused(response) == ["A list in the input has 2500 items: at most 100 are allowed."]
    assert not [q for q in captured.captured_queries if "crossindex" in q["sql"]]


def test_a_list_at_the_limit_runs(federation):
    # given exactly 100 items
    query = "query Q($s: [TicketState!]) { serviceDeskQueue(states: $s) { totalCount } }"
    # when it is sent
    response = gql(query, {"s": ["NEW"] * 100}, user=federation.user("desk"))
    # then it runs
    assert response.status == 200, response.body
    assert response.errors == []
    assert response.data == {"serviceDeskQueue": {"totalCount": 0}}


def _production_graphql_limits() -> dict:
    """SAMNAV_GRAPHQL as the production settings build it, in a process of their own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPHQL_", "DJANGO_SETTINGS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 40 + "abcdefghij-production-like-secret",
        DATABASE_URL=env.get("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"),
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "platform")]),
    )
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.SAMNAV_GRAPHQL))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_introspection_is_refused_under_the_production_settings(federation):
    # given the limits the production settings build (no GRAPHQL_* variables set)
    production = _production_graphql_limits()
    assert (production["INTROSPECTION"], production["GRAPHIQL"]) == (False, False)
    with override_settings(SAMNAV_GRAPHQL=production):
        # when a signed-in platform admin asks for the schema
        response = gql("{ __schema { types { name } } }", user=federation.user("root"))
        typename = gql("{ __typename }", user=federation.user("root"))
    # then it is refused before execution; __typename still works
    assert _refused(response, "INTROSPECTION_DISABLED") == [
        "Introspection is disabled on this server."
    ]
    assert typename.data == {"__typename": "Query"}


# --- a real server stays responsive -----------------------------------------------------------

HOSTILE = [
    # nesting far over the limit
    {"query": "{ agencies { " + "edges { node { " * 150 + "slug" + " } }" * 150 + " } }"},
    # aliases
    {"query": "{ " + " ".join(f"a{i}: agencies {{ totalCount }}" for i in range(400)) + " }"},
    # fragments doubling 40 times: 2**40 fields once expanded
    {
        "query": "{ agencies(first: 1) { edges { node { ...F40 } } } }\n"
        + "fragment F0 on Agency { slug }\n"
        + "\n".join(f"fragment F{i} on Agency {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41))
    },
    # many operations
    {"query": "\n".join(f"query Q{i} {{ agencies {{ totalCount }} }}" for i in range(200))},
    # a huge list in the variables
    {
        "query": "query Q($s: [TicketState!]) { serviceDeskQueue(states: $s) { totalCount } }",
        "variables": {"s": ["NEW"] * 2500},
    },
    # a batch
    [{"query": "{ agencies { totalCount } }"}] * 200,
]


def test_a_real_server_under_hostile_requests_keeps_answering_others(api_server):
    root = api_server.token("root")
    ordinary = {"query": "{ me { username } agencies { totalCount } }"}
    # given the ordinary request's time on an idle server
    idle = [api_server.post(ordinary, token=root) for _ in range(3)]
    assert [r.status for r in idle] == [200, 200, 200], idle[0].body
    baseline = max(r.seconds for r in idle)

    # when four clients send hostile requests without pause for three seconds
    stop = threading.Event()
    hostile_statuses: list[int] = []

    def attack() -> None:
        i = 0
        while not stop.is_set():
            reply = api_server.post(HOSTILE[i % len(HOSTILE)], token=root, timeout=30)
            hostile_statuses.append(reply.status)
            i += 1

    attackers = [threading.Thread(target=attack) for _ in range(4)]
    for thread in attackers:
        thread.start()
    try:
        time.sleep(0.3)
        # and an ordinary caller asks ten times meanwhile
        during = []
        for _ in range(10):
            during.append(api_server.post(ordinary, token=root))
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(timeout=60)

    # then every hostile request was refused as a client error, never a server error
    assert len(hostile_statuses) >= len(HOSTILE)
    assert set(hostile_statuses) <= {400, 413}, sorted(set(hostile_statuses))
    # and the ordinary caller got every answer, each within two seconds
    assert [r.status for r in during] == [200] * 10
    assert all(r.body["data"]["me"]["username"] == "root" for r in during)
    slowest = max(r.seconds for r in during)
    assert slowest < max(2.0, 10 * baseline), (slowest, baseline)
