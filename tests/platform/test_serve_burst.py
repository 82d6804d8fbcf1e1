"""`make run` survives a burst (issue 16; docs/decisions/2026-12-06-serving-the-demo.md).

`manage.py serve`, started as `make run` starts it (local settings, no DATABASE_CONN_MAX_AGE),
on a free port and its own database on the test PostgreSQL server (the browser tests' machinery,
tests/browser/server.py), takes 300 requests in bursts of 40 concurrent ones across hosts and
roles: no connection is reset, no answer is a 5xx, and PostgreSQL's client connections to the
database are back to where they started within seconds of the last burst.

The database is seeded with the test federation (tests/browser/seed.py) and `serve` runs with
`--no-demo`: loading the whole demo federation takes over a minute; the serving is the same.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.browser.server import REPO, DemoServer, database_url
from tests.platform.visitor import Visitor

PASSWORD = "test-password-1"  # tests/conftest.py, which the seed uses
TOTAL, BURST = 300, 40
SETTLE_SECONDS = 10.0  # connections must be back within this after the last burst
# A server that keeps a connection per request would exhaust the (shared) test server: stop
# firing once this many more connections than at the start are open.
LEAK_GUARD = 30
LOG_DIR = REPO / ".test-artifacts" / "serve-burst"


def sign_in_all(port: int, central: dict[str, str], agencies: dict[str, dict[str, str]], password):
    """Visitors per host: anonymous, and one per (username, role) given."""
    visitors = {"anonymous": [Visitor(port, "localhost")]}
    for username, role in central.items():
        visitor = Visitor(port, "localhost")
        visitor.sign_in(username, password)
        visitors[role] = [*visitors.get(role, []), visitor]
    for slug, users in agencies.items():
        visitors["anonymous"].append(Visitor(port, f"{slug}.localhost"))
        for username, role in users.items():
            visitor = Visitor(port, f"{slug}.localhost")
            visitor.sign_in(username, password)
            visitors[role] = [*visitors.get(role, []), visitor]
    return visitors


ME = "{ me { username roles { role } } }"
AGENCIES = "{ agencies(first: 5) { edges { node { slug } } } }"
TICKETS = "{ tickets(first: 5) { edges { node { id } } } }"


def requests_for(visitors: dict[str, list[Visitor]]) -> list:
    """One round of (visitor, what) over every role: pages, static files and GraphQL."""
    out = []
    for v in visitors["anonymous"]:
        out += [(v, ("GET", "/accounts/login/")), (v, ("GET", "/static/samnav/portal.css"))]
    for v in visitors["central"]:
        out += [(v, ("GET", "/")), (v, ("GQL", AGENCIES))]
    for v in visitors["service_desk"]:
        out += [(v, ("GET", "/support/queue/")), (v, ("GQL", ME))]
    for v in visitors["agency_admin"]:
        out += [(v, ("GET", "/")), (v, ("GET", "/support/all/")), (v, ("GQL", TICKETS))]
    for v in visitors["agency_staff"]:
        out += [(v, ("GET", "/support/mine/")), (v, ("GQL", ME))]
    return out


def call(item, start: threading.Barrier) -> tuple[str, str]:
    """(outcome, label): outcome is "ok", "reset" (reset, refused or timed out), "5xx" or
    "unexpected". Every request of a burst waits at `start`, then all connect at once."""
    visitor, (kind, what) = item
    label = f"{visitor.username or 'anonymous'}@{visitor.host} {kind} {what[:40]}"
    start.wait(timeout=30)
    try:
        status, body = visitor.graphql(what) if kind == "GQL" else visitor.request(kind, what)
    except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
        return "reset", f"{label}: {type(error).__name__}: {error}"
    if status >= 500:
        return "5xx", f"{label}: {status}"
    if status != 200 or (kind == "GQL" and _graphql_errors(body)):
        return "unexpected", f"{label}: {status} {body[:200]!r}"
    return "ok", label


def _graphql_errors(body: bytes) -> list | str:
    try:
        return json.loads(body).get("errors") or []
    except ValueError:
        return "not JSON"


def client_connections(db_name: str) -> int:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND backend_type = 'client backend'",
            (db_name,),
        ).fetchone()[0]


def fire(items: list, db_name: str, total: int = TOTAL, burst: int = BURST) -> dict:
    """`total` requests in bursts of `burst` concurrent ones, cycling over `items`; then poll
    the database's client connections until they are back at the start (bounded wait)."""
    before = client_connections(db_name)
    outcomes: dict[str, list[str]] = {"ok": [], "reset": [], "5xx": [], "unexpected": []}
    peaks = []
    sent = 0
    with ThreadPoolExecutor(max_workers=burst) as pool:
        while sent < total:
            batch = [items[(sent + i) % len(items)] for i in range(min(burst, total - sent))]
            start = threading.Barrier(len(batch))
            for outcome, label in pool.map(lambda item, s=start: call(item, s), batch):
                outcomes[outcome].append(label)
            sent += len(batch)
            peaks.append(client_connections(db_name))
            if peaks[-1] > before + LEAK_GUARD:
                break  # leaking: stop before the shared server refuses everyone
    after = [client_connections(db_name)]
    deadline = time.monotonic() + SETTLE_SECONDS
    while after[-1] > before and time.monotonic() < deadline:
        time.sleep(0.2)
        after.append(client_connections(db_name))
    return {"sent": sent, "before": before, "after": after, "peaks": peaks, **outcomes}


@pytest.fixture(scope="module")
def demo_server():
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    server = DemoServer(os.environ.get("SAMNAV_SERVE_BURST_DB", "samnav_serve_burst"), LOG_DIR)
    server.start()
    yield server
    server.stop()


def test_serve_survives_bursts(demo_server):
    port = demo_server.port
    visitors = sign_in_all(
        port,
        central={"root": "central", "desk": "service_desk"},
        agencies={
            "alpha": {"alpha-admin": "agency_admin", "alpha-staff": "agency_staff"},
            "beta": {"beta-admin": "agency_admin", "beta-staff": "agency_staff"},
        },
        password=PASSWORD,
    )
    result = fire(requests_for(visitors), demo_server.db_name)
    before, after = result["before"], result["after"]
    problems = []
    if result["sent"] < TOTAL:
        problems.append(f"firing stopped after {result['sent']} requests: connections leak")
    for outcome in ("reset", "5xx", "unexpected"):
        if result[outcome]:
            problems.append(f"{len(result[outcome])} {outcome}, e.g. {result[outcome][:3]}")
    if after[-1] > before:
        problems.append(f"client connections not back within {SETTLE_SECONDS:.0f} s")
    assert not problems, "; ".join(problems) + (
        f" (client connections: {before} before, {result['peaks']} after each burst, "
        f"{after[0]} after the last, {after[-1]} {len(after) - 1} polls later)"
    )
