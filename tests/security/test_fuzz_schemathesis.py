"""Fuzzing every GraphQL operation with schemathesis against a real server (runserver on its
own database, tests/security/server.py), signed in with valid API tokens.

schemathesis reads the schema by introspection (allowed by the test settings) and
hypothesis-graphql generates a query or mutation per root field. Checked on every response:
no status 500, a JSON body, and no GraphQL error that carries a Python exception's text
(graphene turns an exception in a resolver into an error with status 200, so a crash would
otherwise pass unseen). Each operation is fuzzed twice: with valid data (positive mode) and
with data the schema forbids (negative mode: wrong types, missing required arguments, values
out of range), and then the endpoint gets malformed bodies (any JSON value, any bytes, under
each content type). Bounded so that it fits in `make test` (about two minutes for both
callers); for a longer run: `SAMNAV_FUZZ_EXAMPLES=50 .venv/bin/python -m pytest
tests/security/test_fuzz_schemathesis.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import unittest
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.graphql import nodes

EXAMPLES = int(os.environ.get("SAMNAV_FUZZ_EXAMPLES", "3"))

# The schema's custom input scalars schemathesis has no strategy for: exact decimals, sent as
# strings (graphene's Decimal), and money in whole öre (api/core/money.py), whole numbers
# within PostgreSQL's bigint.
schemathesis.graphql.scalar(
    "Ore",
    st.integers(min_value=-(2**63 - 1), max_value=2**63 - 1).map(lambda n: nodes.Int(n)),
)
schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(
        min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
    ).map(lambda d: nodes.String(str(d))),
)

# Text of Python exceptions that reached the client as GraphQL errors.
INTERNAL = re.compile(
    r"NoneType|not supported between instances|unsupported operand|has no attribute"
    r"|not subscriptable|is not iterable|Negative indexing|NUL \(0x00\)|invalid literal for"
    r"|positional argument|unexpected keyword|matching query does not exist|IntegrityError"
    r"|duplicate key value|violates .* constraint|out of range|division by zero"
    r"|list index|KeyError|Traceback|unhashable|object is not callable|DataError"
)

# (user, host agency): central IT's platform admin on the central host, an agency admin on the
# agency's host. Both see the whole schema; which operations act depends on the role.
CALLERS = [("root", None), ("alpha-admin", "alpha")]


def _fuzz(url: str, headers: dict) -> tuple:
    schema = schemathesis.graphql.from_url(url, headers=headers, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter = Counter()
    crashes: list[str] = []
    called: set[str] = set()
    not_json: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz_one(operation, mode, headers, statuses, crashes, called, not_json)
    return statuses, crashes, called, [op.label for op in operations], not_json


def _fuzz_one(operation, mode, headers, statuses, crashes, called, not_json) -> None:
    label = operation.label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers, timeout=30)
        statuses[response.status_code] += 1
        called.add(label)
        try:
            body = response.json()
        except ValueError:
            not_json.append(f"{label}: {response.status_code} {response.text[:200]}")
            return
        for error in body.get("errors") or []:
            message = str(error.get("message", ""))
            if INTERNAL.search(message):
                crashes.append(f"{label}: {message[:200]} <- {case.body}")

    # negative mode skips an operation with no argument it could get wrong
    with contextlib.suppress(unittest.SkipTest):
        run()


@pytest.mark.parametrize(("user", "agency"), CALLERS)
def test_fuzzing_every_operation_gets_no_server_error(api_server, user, agency):
    # given a running server and a valid token of `user` on the host of `agency`
    headers = {"Authorization": f"Bearer {api_server.token(user)}"}
    # when schemathesis sends generated requests to every query and mutation
    headers["Host"] = api_server.host(agency)
    statuses, crashes, called, operations, not_json = _fuzz(api_server.graphql_url(), headers)
    # then every root field of the schema was called (139 today)
    assert len(operations) == _root_field_count()
    assert called == set(operations)
    # and no response was a server error, or a crash reported as a GraphQL error
    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 400}, statuses
    assert crashes == []
    assert not_json == []


def _root_field_count() -> int:
    from api.schema import schema

    graphql_schema = schema.graphql_schema
    return len(graphql_schema.query_type.fields) + len(graphql_schema.mutation_type.fields)


# Any JSON value: what a client might send as the body, or inside it.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
BODIES = st.one_of(
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={"query": JSON_VALUES, "variables": JSON_VALUES, "operationName": JSON_VALUES},
    ).map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
)
CONTENT_TYPES = st.sampled_from(
    ["application/json", "application/graphql", "application/x-www-form-urlencoded", "text/plain"]
)


def test_malformed_bodies_get_a_clear_answer_never_a_server_error(api_server):
    headers = {"Authorization": f"Bearer {api_server.token('root')}", "Host": api_server.host(None)}
    statuses: Counter = Counter()
    problems: list[str] = []

    @given(body=BODIES, content_type=CONTENT_TYPES)
    @settings(
        max_examples=EXAMPLES * 40,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(body, content_type):
        response = requests.post(
            api_server.graphql_url(),
            data=body,
            headers={**headers, "Content-Type": content_type},
            timeout=30,
        )
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            problems.append(f"{response.status_code} <- {content_type} {body[:200]!r}")
            return
        try:
            answer = response.json()
        except ValueError:
            problems.append(f"not JSON: {response.status_code} <- {body[:200]!r}")
            return
        for error in answer.get("errors") or []:
            if INTERNAL.search(str(error.get("message", ""))):
                problems.append(f"{error['message'][:200]} <- {body[:200]!r}")

    run()
    assert problems == [], problems
    assert set(statuses) <= {200, 400, 413}, statuses
