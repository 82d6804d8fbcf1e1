"""What the worst GraphQL documents cost before anything runs (issue 18): parsing and
validation of each hostile shape, against an ordinary request measured in the same process.

The documents: a field repeated in one selection (the quadratic merge rule's worst case),
at the limit and far beyond it; the longest document the token limit lets through; a fragment
spread 2**40 times; 500 aliases. Each is timed through `parsed_and_validated` without its
cache (as a new text is), best of SAMNAV_BENCH_HOSTILE_ROUNDS rounds (default 5). The aim: no
document costs more than 10 times the ordinary request."""

from __future__ import annotations

import os
import time

from api.core.documents import parsed_and_validated, rules_signature
from api.schema import schema
from tests.bench import harness

AIM = 10.0
ORDINARY = (
    "query Tickets($first: Int) { tickets(first: $first) { totalCount edges { node { id "
    "subject state priority createdAt requester { name } } } } }"
)


def documents() -> dict[str, str]:
    fragments = ["fragment F0 on Agency { slug }"] + [
        f"fragment F{i} on Agency {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41)
    ]
    return {
        "ordinary ticket list": ORDINARY,
        "1 field x 100 in one set (at the limit)": "{ " + "__typename " * 100 + "}",
        "1 field x 1,200 in one set (the issue's 20 KB)": "{ " + "__typename " * 1200 + "}",
        "19 KB of distinct aliases (body limit 20 KB)": "{ "
        + " ".join(f"a{i}: __typename" for i in range(1350))
        + " }",
        "fragment spread 2**40 times": "{ agencies { edges { node { ...F40 } } } }\n"
        + "\n".join(fragments),
        "500 aliases of a list": "{ "
        + " ".join(f"a{i}: me {{ username }}" for i in range(500))
        + " }",
    }


def cost(query: str, rounds: int) -> tuple[float, str]:
    check = parsed_and_validated.__wrapped__
    graphql_schema = schema.graphql_schema
    best, outcome = float("inf"), ""
    for _ in range(rounds):
        started = time.perf_counter()
        document, errors = check(graphql_schema, query, rules_signature())
        best = min(best, time.perf_counter() - started)
        outcome = "accepted" if not errors else (errors[0].extensions or {}).get("code", "error")
    return best, str(outcome)


def run(options) -> dict:
    rounds = int(os.environ.get("SAMNAV_BENCH_HOSTILE_ROUNDS", "5"))
    figures: dict = {}
    for name, query in documents().items():
        seconds, outcome = cost(query, rounds)
        figures[name] = {"ms": seconds * 1000, "bytes": len(query), "outcome": outcome}
    base = figures["ordinary ticket list"]["ms"]
    rows = []
    for name, row in figures.items():
        row["ratio"] = harness.ratio(row["ms"], base)
        rows.append([name, row["bytes"], row["outcome"], row["ms"], row["ratio"]])
    print(
        harness.table(
            f"Parse and validate, best of {rounds} (the ordinary request = 1)",
            ["document", "bytes", "outcome", "ms", "ratio"],
            rows,
        ),
        flush=True,
    )
    worst = max(r["ratio"] for r in figures.values())
    print(f"worst / ordinary = {worst:.1f} (aim <= {AIM}: {'met' if worst <= AIM else 'NOT met'})")
    return figures
