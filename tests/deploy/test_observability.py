"""Structured logs (agency and request id on every line) and Prometheus metrics, in-process.

tests/deploy/test_servers.py runs the same through gunicorn and a real Celery worker."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from prometheus_client import REGISTRY

from config import observability
from config.observability import JsonFormatter, LogContextFilter, request_id_var
from services.people.tasks import census

pytestmark = pytest.mark.django_db


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def json_log():
    """Lines that the `samnav` loggers write through the production formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("samnav")
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


# --- Request id -------------------------------------------------------------------------------


def test_every_response_carries_a_fresh_request_id(federation):
    client = Client()
    first = client.get("/healthz", HTTP_HOST="alpha.localhost")["X-Request-ID"]
    second = client.get("/healthz", HTTP_HOST="alpha.localhost")["X-Request-ID"]
    assert len(first) == len(second) == 32 and first != second
    int(first, 16)  # hexadecimal


def test_a_well_formed_incoming_request_id_is_kept(federation):
    response = Client().get(
        "/healthz", HTTP_HOST="alpha.localhost", HTTP_X_REQUEST_ID="ingress-7f3a.42"
    )
    assert response["X-Request-ID"] == "ingress-7f3a.42"


@pytest.mark.parametrize("incoming", ["x" * 65, "two words", "<script>", "id\u00e9"])
def test_a_malformed_incoming_request_id_is_replaced(federation, incoming):
    response = Client().get("/healthz", HTTP_HOST="alpha.localhost", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


# --- Logs -------------------------------------------------------------------------------------


def test_one_json_line_a_request_with_the_agency_and_the_request_id(federation, json_log):
    # given a signed-in member of alpha
    client = Client()
    client.force_login(federation.user("alpha-staff"))
    # when they open alpha's home page with a request id from the ingress controller
    response = client.get("/", HTTP_HOST="alpha.localhost", HTTP_X_REQUEST_ID="req-alpha-1")
    assert response.status_code == 200
    # then exactly one request line is logged, naming the agency and the request id
    lines = [line for line in json_log() if line["logger"] == "samnav.request"]
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "agency",
        "request_id",
        "method",
        "path",
        "view",
        "status",
        "duration_ms",
    }
    assert {k: line[k] for k in ("level", "message", "agency", "request_id", "view")} == {
        "level": "INFO",
        "message": "GET / 200",
        "agency": federation.alpha.schema_name,
        "request_id": "req-alpha-1",
        "view": "home",
    }
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["duration_ms"] >= 0


def test_probes_are_not_logged(federation, json_log):
    Client().get("/healthz", HTTP_HOST="10.42.0.7:8000")
    Client().get("/readyz", HTTP_HOST="10.42.0.7:8000")
    assert [line for line in json_log() if line["logger"] == "samnav.request"] == []


def test_any_log_line_carries_the_current_agency_and_request_id(federation, json_log):
    # given code running in beta's schema during a request
    token = request_id_var.set("req-beta-9")
    try:
        with schema_context(federation.beta.schema_name):
            logging.getLogger("samnav.ordering").warning("budget %s exceeded", "B-1")
        logging.getLogger("samnav.ordering").warning("back in public")
    finally:
        request_id_var.reset(token)
    logging.getLogger("samnav.ordering").warning("no request")
    # then each line names the schema and the request current when it was written
    assert [(x["agency"], x["request_id"], x["message"]) for x in json_log()] == [
        (federation.beta.schema_name, "req-beta-9", "budget B-1 exceeded"),
        ("public", "req-beta-9", "back in public"),
        ("public", "-", "no request"),
    ]


def test_the_json_formatter_keeps_extras_and_exceptions(json_log):
    logger = logging.getLogger("samnav.test")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed to archive", extra={"table": "people_person", "rows": 3})
    (line,) = json_log()
    assert (line["message"], line["level"], line["table"], line["rows"]) == (
        "failed to archive",
        "ERROR",
        "people_person",
        3,
    )
    assert line["exception"].startswith("Traceback") and "ValueError: boom" in line["exception"]


def test_the_logging_settings_put_the_filter_on_the_console():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["context"]
    assert settings.LOGGING["filters"]["context"]["()"] == "config.observability.LogContextFilter"
    # and Django configured the root logger with it
    filters = [f for h in logging.getLogger().handlers for f in h.filters]
    assert any(isinstance(f, LogContextFilter) for f in filters)


# --- Metrics ----------------------------------------------------------------------------------


def test_requests_are_counted_by_view_status_and_agency(federation):
    # given the counters as they stand
    alpha = federation.alpha.schema_name
    before = {
        "home": sample("samnav_http_requests_total", method="GET", view="home", status="302"),
        "alpha": sample("samnav_http_agency_requests_total", agency=alpha, status_class="3xx"),
        "probe": sample("samnav_http_requests_total", method="GET", view="healthz", status="200"),
        "probe_agency": sample("samnav_http_agency_requests_total", agency="-", status_class="2xx"),
        "unknown": sample(
            "samnav_http_requests_total", method="GET", view="unmatched", status="400"
        ),
        "latency": sample("samnav_http_request_duration_seconds_count", view="home"),
    }
    client = Client()
    # when an anonymous visitor opens alpha's home twice (redirected to sign in), a pod is
    # probed once and an unknown host is asked once
    client.get("/", HTTP_HOST="alpha.localhost")
    client.get("/", HTTP_HOST="alpha.localhost")
    client.get("/healthz", HTTP_HOST="10.42.0.7:8000")
    client.get("/", HTTP_HOST="ghost.localhost")
    # then each counter moved by exactly that much
    after = {
        "home": sample("samnav_http_requests_total", method="GET", view="home", status="302"),
        "alpha": sample("samnav_http_agency_requests_total", agency=alpha, status_class="3xx"),
        "probe": sample("samnav_http_requests_total", method="GET", view="healthz", status="200"),
        "probe_agency": sample("samnav_http_agency_requests_total", agency="-", status_class="2xx"),
        "unknown": sample(
            "samnav_http_requests_total", method="GET", view="unmatched", status="400"
        ),
        "latency": sample("samnav_http_request_duration_seconds_count", view="home"),
    }
    assert {k: after[k] - before[k] for k in before} == {
        "home": 2,
        "alpha": 2,
        "probe": 1,
        "probe_agency": 1,
        "unknown": 1,
        "latency": 2,
    }


def test_a_strange_method_is_counted_as_other(federation):
    before = sample("samnav_http_requests_total", method="OTHER", view="healthz", status="200")
    Client().generic("PROPFIND", "/healthz", HTTP_HOST="10.42.0.7")
    after = sample("samnav_http_requests_total", method="OTHER", view="healthz", status="200")
    assert after - before == 1


def test_tasks_are_counted_by_outcome_and_agency(federation):
    alpha = federation.alpha.schema_name
    name = census.name
    before = (
        sample("samnav_celery_tasks_total", task=name, outcome="succeeded"),
        sample("samnav_celery_tasks_total", task=name, outcome="failed"),
        sample("samnav_celery_agency_tasks_total", agency=alpha, outcome="succeeded"),
        sample("samnav_celery_agency_tasks_total", agency="public", outcome="failed"),
        sample("samnav_celery_task_duration_seconds_count", task=name),
    )
    # when census runs (eagerly) twice in alpha, and once in public, where it fails closed
    with schema_context(alpha):
        census.delay()
        census.delay()
    assert connection.schema_name == "public"
    with pytest.raises(Exception, match="needs an agency schema"):
        census.delay()
    after = (
        sample("samnav_celery_tasks_total", task=name, outcome="succeeded"),
        sample("samnav_celery_tasks_total", task=name, outcome="failed"),
        sample("samnav_celery_agency_tasks_total", agency=alpha, outcome="succeeded"),
        sample("samnav_celery_agency_tasks_total", agency="public", outcome="failed"),
        sample("samnav_celery_task_duration_seconds_count", task=name),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 2, 1, 3]


def test_a_task_sent_during_a_request_carries_its_request_id():
    # given a request id current in this context
    token = request_id_var.set("req-sender-5")
    try:
        headers: dict = {}
        # when Celery publishes a message, then the id rides in a header of its own
        observability._carry_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {"samnav_request_id": "req-sender-5"}
    # and outside a request nothing is added
    headers = {}
    observability._carry_request_id(headers=headers)
    assert headers == {}


def test_metric_labels_stay_bounded():
    # the label names of every Samnav metric: no path, user or id
    labels = {
        metric._name: sorted(metric._labelnames)
        for metric in (
            observability.HTTP_REQUESTS,
            observability.HTTP_LATENCY,
            observability.HTTP_AGENCY_REQUESTS,
            observability.CELERY_TASKS,
            observability.CELERY_LATENCY,
            observability.CELERY_AGENCY_TASKS,
        )
    }
    assert labels == {
        "samnav_http_requests": ["method", "status", "view"],
        "samnav_http_request_duration_seconds": ["view"],
        "samnav_http_agency_requests": ["agency", "status_class"],
        "samnav_celery_tasks": ["outcome", "task"],
        "samnav_celery_task_duration_seconds": ["task"],
        "samnav_celery_agency_tasks": ["agency", "outcome"],
    }
