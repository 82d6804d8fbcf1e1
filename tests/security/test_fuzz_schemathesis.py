"""Fuzzing every GraphQL operation with schemathesis against a real server (runserver on its
own database, tests/security/server.py), signed in with valid API tokens.

schemathesis reads the schema by introspection (allowed by the test settings) and
hypothesis-graphql generates a query or mutation per root field. Checked on every response:
no status 500, a JSON body, and no GraphQL error that carries a Python exception's text
(graphene turns an exception in a resolver into an error with status 200, so a crash would
otherwise pass unseen). Bounded so that it fits in `make test` (about a minute for both
callers); for a longer run: `SAMNAV_FUZZ_EXAMPLES=50 .venv/bin/python -m pytest
tests/security/test_fuzz_schemathesis.py`.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
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
        _fuzz_one(operation, headers, statuses, crashes, called, not_json)
    return statuses, crashes, called, [op.label for op in operations], not_json


def _fuzz_one(operation, headers, statuses, crashes, called, not_json) -> None:
    label = operation.label

    @given(case=operation.as_strategy())
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
