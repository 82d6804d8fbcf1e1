"""`make run` behaves like production (issue 23): a Celery worker and beat run next to the web
server, and every channel is open with development secrets.

`manage.py serve`, started as `make run` starts it (local settings; no broker, no channel
secret in the environment), on a free port and its own database seeded with the test
federation (tests/browser/server.py). Correlation runs every 2 s here (SAMNAV_CORRELATE_SECONDS)
and two agencies make a major incident (the test federation has two), so that beat's work is
seen within seconds instead of a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest

from tests.browser.server import REPO, DemoServer
from tests.platform.visitor import Visitor

PASSWORD = "test-password-1"  # tests/conftest.py, which the seed uses
LOG_DIR = REPO / ".test-artifacts" / "make-run"
WAIT_SECONDS = 60


@pytest.fixture(scope="module", params=["found"])
def demo_server(request):
    """The server on the broker `make run` finds here (Redis or RabbitMQ when one answers), or,
    with the parameter "files", on the filesystem transport it falls back to without one."""
    broker = request.param
    log_dir = LOG_DIR / broker
    log_dir.mkdir(parents=True, exist_ok=True)
    server = DemoServer(
        os.environ.get("SAMNAV_MAKE_RUN_DB", "samnav_make_run") + f"_{broker}",
        log_dir,
        env={
            **({"CELERY_BROKER_URL": "filesystem://"} if broker == "files" else {}),
            "SAMNAV_CORRELATE_SECONDS": "2",
            "SAMNAV_MAJOR_INCIDENT_AGENCIES": "2",
            # a queue of its own: a developer's `make run` on the same broker never takes its
            # tasks, nor it theirs
            "CELERY_TASK_DEFAULT_QUEUE": f"samnav-test-{uuid.uuid4().hex[:8]}",
        },
    )
    server.start()
    yield server
    server.stop()


def _log(server: DemoServer) -> str:
    return (server.log_dir / "server.log").read_text(errors="replace")


def _gql(visitor: Visitor, query: str, variables: dict | None = None) -> dict:
    status, body = visitor.graphql(query, variables)
    answer = json.loads(body)
    assert status == 200 and not answer.get("errors"), answer
    return answer["data"]


def _try_channel(server: DemoServer, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "try_channel", *args, "--port", str(server.port)],
        cwd=REPO,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_banner_names_the_worker_beat_and_channel_secrets(demo_server):
    log = _log(demo_server)
    assert "Tasks:        a Celery worker and beat, on " in log
    assert "X-Samnav-Token: samnav-dev-email-token" in log
    assert "signed (HMAC-SHA256) with: samnav-dev-sms-secret" in log
    assert "Rate limits:  counted in " in log


def test_a_mail_without_the_gateways_verdict_is_held_in_the_demo(demo_server):
    # the demo's gateway is `mx.samnav.localhost`; try_channel writes its verdict unless told not
    done = _try_channel(demo_server, "email", "--agency", "alpha", "--unauthenticated")
    assert "HTTP 202" in done.stdout and '"status": "held"' in done.stdout, done.stdout


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_channel_is_open_with_the_development_secrets(demo_server, channel):
    # when a person of alpha writes to the support channel through its real endpoint
    done = _try_channel(demo_server, channel, "--agency", "alpha")
    # then a ticket is opened in alpha
    assert done.returncode == 0, done.stdout + done.stderr
    assert "HTTP 201" in done.stdout and '"status": "opened"' in done.stdout, done.stdout


def test_a_wrong_secret_is_still_refused(demo_server):
    env = {**demo_server.env, "SAMNAV_INBOUND_EMAIL_TOKEN": "not-the-servers"}
    done = subprocess.run(
        [sys.executable, "manage.py", "try_channel", "email", "--agency", "alpha"]
        + ["--port", str(demo_server.port)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "HTTP 403" in done.stdout, done.stdout + done.stderr


SERVICES = "{ services(first: 20) { edges { node { id name } } } }"
OPEN = """mutation($input: OpenTicketInput!) {
  openTicket(input: $input) { ticket { id } errors { field message } } }"""
INCIDENTS = (
    "{ majorIncidents(first: 5) { edges { node { state agenciesReported service { name } } } } }"
)


@pytest.mark.parametrize("demo_server", ["found", "files"], indirect=True)
def test_beat_opens_a_major_incident_by_itself(demo_server):
    port = demo_server.port
    # given staff of two agencies report trouble with the same service, on the web
    for slug in ("alpha", "beta"):
        staff = Visitor(port, f"{slug}.localhost")
        staff.sign_in(f"{slug}-staff", PASSWORD)
        services = {
            e["node"]["name"]: e["node"]["id"] for e in _gql(staff, SERVICES)["services"]["edges"]
        }
        service = services["b E-post"]
        opened = _gql(
            staff,
            OPEN,
            {"input": {"subject": "E-posten fungerar inte", "service": service}},
        )["openTicket"]
        assert opened["errors"] == [] and opened["ticket"], opened
    # when nobody does anything more, then beat's correlation run, on the worker, opens an
    # incident (the service desk sees it)
    desk = Visitor(port, "localhost")
    desk.sign_in("desk", PASSWORD)
    deadline = time.monotonic() + WAIT_SECONDS
    incidents = []
    while time.monotonic() < deadline and not incidents:
        incidents = [e["node"] for e in _gql(desk, INCIDENTS)["majorIncidents"]["edges"]]
        time.sleep(1)
    assert incidents == [
        {"state": "OPEN", "agenciesReported": 2, "service": {"name": "b E-post"}}
    ], f"no major incident within {WAIT_SECONDS} s; see {demo_server.log_dir / 'server.log'}"
    # and the service desk's console, in a real browser, shows it with both agencies' tickets
    _console_shows_the_incident(demo_server, "b E-post")


def _console_shows_the_incident(server: DemoServer, service: str) -> None:
    from tests.browser.conftest import SHOTS, _missing

    if _missing():
        pytest.skip(_missing())
    done = subprocess.run(
        [sys.executable, "-m", "tests.platform.console_check", str(server.port), service]
        + [str(SHOTS)],
        cwd=REPO,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
