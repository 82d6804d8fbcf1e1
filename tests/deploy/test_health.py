"""/healthz and /readyz: answered on a pod IP (Kubernetes probes) without any tenant lookup,
on central and agency hosts as plain URLs, and never a way around the refusal of unknown hosts.
"""

from __future__ import annotations

import socket
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config import health
from tenants.models import Agency

pytestmark = pytest.mark.django_db

POD_HOSTS = ["10.42.0.7:8000", "10.42.0.7", "[fd00:42::7]:8000", "fd00:42::7"]
READY = {
    "status": "ok",
    "checks": {"database": "ok", "migrations": "ok", "broker": "skipped"},
}


@pytest.fixture(autouse=True)
def fresh_readiness(settings):
    settings.SAMNAV_READYZ_CACHE_SECONDS = 0
    health.forget_readiness()
    yield
    health.forget_readiness()


@pytest.mark.parametrize("host", POD_HOSTS)
def test_healthz_answers_a_pod_ip_without_touching_the_database(
    federation, host, django_assert_num_queries
):
    # given a kubelet probe: the Host header is the pod's IP (with or without the port)
    client = Client()
    # when it asks /healthz, then the process answers, with no query at all
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST=host)
    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_answers_a_request_without_a_host_header(federation):
    response = Client().get("/healthz", HTTP_HOST="")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.parametrize("host", POD_HOSTS)
def test_readyz_on_a_pod_ip_reports_every_check(federation, host):
    response = Client().get("/readyz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == READY


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "beta.localhost"])
def test_probes_answer_on_the_central_and_agency_hosts(federation, host):
    client = Client()
    assert client.get("/healthz", HTTP_HOST=host).content == b"ok"
    response = client.get("/readyz", HTTP_HOST=host)
    assert (response.status_code, response.json()) == (200, READY)


def test_probes_answer_on_a_suspended_agencys_host(federation):
    # given alpha suspended (its pages are closed to everyone)
    alpha = Agency.objects.get(pk=federation.alpha.pk)  # not the session's object
    alpha.state = "suspended"
    alpha.save(update_fields=["state"])
    client = Client()
    assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 403
    # then its host still answers the probes
    assert client.get("/healthz", HTTP_HOST="alpha.localhost").status_code == 200
    assert client.get("/readyz", HTTP_HOST="alpha.localhost").status_code == 200


@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        # a name under the base domain that no agency owns: 400, probes included
        ("ghost.localhost", "/healthz", 400),
        ("ghost.localhost", "/readyz", 400),
        ("ghost.localhost", "/", 400),
        ("ghost.localhost", "/graphql/", 400),
        # a name outside the allowed hosts: 400 as well
        ("agency.evil.example", "/healthz", 400),
        ("agency.evil.example", "/", 400),
        # a pod IP gets the probes and nothing else
        ("10.42.0.7:8000", "/", 400),
        ("10.42.0.7:8000", "/graphql/", 400),
        ("10.42.0.7:8000", "/admin/", 400),
        ("10.42.0.7:8000", "/healthz/", 400),
        ("10.42.0.7:8000", "/metrics", 400),
        # and metrics are no URL of the site on any host
        ("alpha.localhost", "/metrics", 404),
        ("localhost", "/metrics", 404),
    ],
)
def test_unknown_hosts_stay_refused(federation, host, path, status):
    assert Client().get(path, HTTP_HOST=host).status_code == status


def test_readyz_fails_while_a_shared_migration_is_not_applied(federation):
    # given a shared migration missing from the public schema's record (rolled back after)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM public.django_migrations WHERE app = 'tenants' AND name = %s",
            ["0001_initial"],
        )
    # when the pod is probed
    response = Client().get("/readyz", HTTP_HOST="10.42.0.7:8000")
    # then it is not ready, and the answer names the check but not the cause
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "failed", "broker": "skipped"},
    }


def test_readyz_ignores_agency_only_migrations(federation):
    # given an agency app's migration missing from public's record (agency apps have no
    # tables in public; django-tenants records their migrations there all the same)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM public.django_migrations WHERE app = 'people'")
        assert cursor.rowcount >= 1
    # then public is still ready
    assert Client().get("/readyz", HTTP_HOST="10.42.0.7:8000").json() == READY


def test_a_squashed_migration_counts_as_applied_when_all_it_replaces_is(federation, monkeypatch):
    # given a shared app whose disk holds a squash of two applied migrations
    applied = (("tenants", "0001_initial"), ("contenttypes", "0001_initial"))
    squash = (("tenants", "0001_squashed"), applied)
    monkeypatch.setattr(health, "shared_disk_migrations", lambda: (squash,))
    # then nothing is missing; and when one replaced migration is missing, it is
    assert health.check_migrations() == ""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM public.django_migrations WHERE app = 'tenants' AND name = '0001_initial'"
        )
    assert health.check_migrations() == (
        "1 shared migration(s) not applied, e.g. ('tenants', '0001_squashed')"
    )


def test_readyz_fails_fast_when_the_broker_is_unreachable(federation, settings):
    # given a broker URL where nothing listens
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    # when the pod is probed
    started = time.monotonic()
    response = Client().get("/readyz", HTTP_HOST="10.42.0.7:8000")
    # then it is not ready, and the answer came within the probe's timeout
    assert time.monotonic() - started < 4.5
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "broker": "failed",
    }


@pytest.mark.broker
def test_readyz_checks_a_reachable_broker(federation, settings):
    from tests.platform.worker_support import find_broker

    url, why = find_broker()
    if url is None:
        pytest.skip(why)
    settings.CELERY_BROKER_URL = url
    response = Client().get("/readyz", HTTP_HOST="10.42.0.7:8000")
    assert (response.status_code, response.json()["checks"]["broker"]) == (200, "ok")


def test_readyz_caches_its_answer_for_a_few_seconds(federation, settings):
    # given a cache of 5 seconds and a first probe that ran the checks
    settings.SAMNAV_READYZ_CACHE_SECONDS = 5
    client = Client()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/readyz", HTTP_HOST="10.42.0.7:8000").status_code == 200
    # when probes follow within those seconds
    with CaptureQueriesContext(connection) as following:
        for _ in range(5):
            assert client.get("/readyz", HTTP_HOST="10.42.0.7:8000").status_code == 200
    # then the first cost two queries (beside django-tenants' search_path), the rest none
    statements = [q["sql"] for q in first if not q["sql"].startswith("SET search_path")]
    assert len(statements) == 2
    assert statements[0] == "SELECT 1"
    assert statements[1].startswith("SELECT app, name FROM public.django_migrations WHERE")
    assert following.captured_queries == []


def test_readyz_gives_up_on_a_broker_that_accepts_and_never_answers(federation, settings):
    # given a "broker" on loopback that accepts connections and then says nothing
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        # when the pod is probed
        started = time.monotonic()
        response = Client().get("/readyz", HTTP_HOST="10.42.0.7:8000")
        elapsed = time.monotonic() - started
    # then the probe gives up after the broker timeout, within the probe's 5 s
    assert health.BROKER_TIMEOUT_SECONDS <= elapsed < 4.5
    assert (response.status_code, response.json()["checks"]["broker"]) == (503, "failed")
