"""The hostile-input matrix (issue 18), generated from the GraphQL schema as the isolation
matrix is: every argument of every mutation whose type is money (Ore), a date, an integer or
text, at any depth of its input objects, gets the edge values of its type:

- money: a fraction, 2^63, a negative amount, zero;
- integers: a fraction, 2^31 (beyond GraphQL's Int), a negative number, zero;
- dates: year 1 and year 9999;
- text: empty, 100 KB, a NUL character, a bidi override (U+202E).

The mutation is called by someone allowed to make it (central IT's platform admin on the
central host, agency B's admin on B's host), with B's real ids (tests/security/beta_data.py)
and placeholders for the other arguments. Each answer must be a refusal with a code (an HTTP
refusal, a GraphQL error with a code, or the payload's field errors), or an acceptance this
file documents (ACCEPTED), and a refusal must leave every table as it was (the md5 of every
row of public and B's schema, tests/security/schema_walk.py). A 500 is never an answer.
"""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType

from tests.graphql import gql
from tests.security import schema_walk as walk
from tests.security.beta_data import populate_beta
from tests.security.test_isolation_matrix import AGENCY, MUTATIONS, _candidates, _harvest

pytestmark = pytest.mark.django_db

EDGES: dict[str, dict[str, object]] = {
    "Ore": {"fraction": 0.5, "2^63": 2**63, "negative": -1, "zero": 0},
    "Int": {"fraction": 0.5, "2^31": 2**31, "negative": -1, "zero": 0},
    "Date": {"year 1": "0001-01-01", "year 9999": "9999-12-31"},
    "DateTime": {"year 1": "0001-01-01T00:00:00+00:00", "year 9999": "9999-12-31T23:59:00+00:00"},
    "String": {"empty": "", "100 KB": "x" * 100_000, "NUL": "a\x00b", "bidi": "abc\u202edef"},
}

# What may be accepted, and why: (edge, rule). An accepted bidi text must also say that it
# removed the character (extensions.notices).
ACCEPTED_EDGES = {
    "zero": "zero is a real amount or count (a free offering, a pool with no seats left)",
    "bidi": "the invisible character is removed and the answer says so",
}
# An empty text is accepted only where the argument is optional: empty clears the field.


def _leaves(type_, path: str, required: bool):
    """(path, scalar name, required) of every money, date, integer or text leaf below."""
    if isinstance(type_, GraphQLNonNull | GraphQLList):
        yield from _leaves(type_.of_type, path, required)
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            yield from _leaves(
                field.type, f"{path}.{name}", required and isinstance(field.type, GraphQLNonNull)
            )
    elif isinstance(type_, GraphQLScalarType) and type_.name in EDGES:
        yield path, type_.name, required


def _put(variables: dict, path: str, value) -> None:
    """Set `path` (dots; lists: their first item) in `variables`."""
    *parents, last = path.split(".")
    target = variables
    for part in parents:
        target = target[part]
        if isinstance(target, list):
            target = target[0]
    if isinstance(target, list):
        target = target[0]
    target[last] = value


def _said(field) -> str:
    """The payload's field errors, with their field and code (else its type name)."""
    payload = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if "errors" in getattr(payload, "fields", {}):
        return "{ __typename errors { field code } }"
    return "{ __typename }"


def _answer(response, name: str) -> tuple[str, list[str]]:
    """("refused", codes) / ("accepted", []) / ("crashed", [status])."""
    if response.status >= 500:
        return "crashed", [str(response.status)]
    if response.status >= 400:
        codes = [e.get("extensions", {}).get("code") for e in response.errors]
        return "refused", codes or [f"HTTP {response.status}"]
    codes = [e.get("extensions", {}).get("code") for e in response.errors]
    payload = (response.data or {}).get(name) or {}
    codes += [e.get("code") for e in payload.get("errors") or []]
    if response.errors or payload.get("errors"):
        return "refused", codes
    return "accepted", []


def _probes(found):
    for name, field in sorted(walk.mutation_fields().items()):
        kind, id_spec = MUTATIONS[name]
        ids = {
            path: (_candidates(found, types, 1) or ["QmFkOjA="])[0]
            for path, types in id_spec.items()
        }
        for arg, definition in field.args.items():
            top_required = isinstance(definition.type, GraphQLNonNull)
            for path, scalar, required in _leaves(definition.type, arg, top_required):
                for edge, value in EDGES[scalar].items():
                    yield name, field, kind, ids, path, scalar, required, edge, value


def test_every_hostile_value_of_every_mutation_argument_is_refused_or_documented(federation):
    fed = federation
    populate_beta(fed)
    found = _harvest(fed)
    schemas = ["public", fed.beta.schema_name]
    problems: list[str] = []
    tally: Counter[str] = Counter()
    before = walk.fingerprint(schemas)
    for name, field, kind, ids, path, scalar, required, edge, value in _probes(found):
        user, agency = ("beta-admin", fed.beta) if kind == AGENCY else ("root", None)
        parts = path.split(".")
        included = {".".join(parts[: n + 1]): "x" for n in range(len(parts))}
        document, variables = walk.operation("mutation", name, field, {**included, **ids})
        document = document[: document.index(" { __typename")] + f" {_said(field)} }}"
        variables = copy.deepcopy(variables)
        _put(variables, path, value)
        response = gql(document, variables, agency=agency, user=fed.user(user))
        outcome, codes = _answer(response, name)
        tally[outcome] += 1
        if path.rsplit(".", 1)[-1] in json.dumps(response.body):
            tally["naming the probed argument"] += 1
        probe = f"{name}({path}: {scalar} {edge})"
        if outcome == "crashed":
            problems.append(f"{probe}: HTTP {codes[0]}")
        elif outcome == "refused":
            if not all(codes):
                problems.append(f"{probe}: refused without a code: {response.body}")
            if response.status < 400:  # it ran: nothing may have been written
                after = walk.fingerprint(schemas)
                if after != before:
                    problems.append(f"{probe}: refused but wrote {walk.changed(before, after)}")
                    before = after
        else:
            documented = edge in ACCEPTED_EDGES or (edge == "empty" and not required)
            notices = (response.body.get("extensions") or {}).get("notices") or []
            if not documented:
                problems.append(f"{probe}: accepted")
            elif edge == "bidi" and not notices:
                problems.append(f"{probe}: accepted without saying what it removed")
            before = walk.fingerprint(schemas)
    print(f"hostile matrix: {sum(tally.values())} probes, {dict(tally)}")
    assert problems == [], "\n".join(problems)
