"""Logs and metrics: every log line carries the agency and a request id; Prometheus counts.

Logs
- `LogContextFilter` adds `agency` (the schema of the current database connection, set by
  django-tenants for a request and by tenant-schemas-celery for a task) and `request_id` to
  every record; `JsonFormatter` writes one JSON object a line (production) with those fields,
  the message and any `extra` fields. Standard library only: the formatter is a few lines,
  and a dependency (python-json-logger) would bring renamed modules between majors for that.
- `RequestContextMiddleware` takes the request id from a well-formed X-Request-ID header (the
  ingress controller's) or makes one, returns it in the response, logs one line a request
  (not for probes) and counts it. Tasks sent during a request carry the id in a header, so a
  task's log lines share the request id of the request that sent it.

Metrics (prometheus-client; multi-process mode when PROMETHEUS_MULTIPROC_DIR is set, as it is
in the image: gunicorn workers and Celery pool processes each write their own files, and one
exporter per pod sums them). Labels are bounded: `view` is the resolved URL name (a few dozen),
`task` a task name, never a raw path or an id. Per agency, only two plain counters carry an
`agency` label, with no histogram: at 1,000 agencies that is at most 1,000 x 4 status classes
plus 1,000 x 3 outcomes series per pod, which Prometheus holds easily; latency histograms
are per view only (an agency label there would multiply every bucket by 1,000).
- samnav_http_requests_total{method, view, status}
- samnav_http_request_duration_seconds{view}
- samnav_http_agency_requests_total{agency, status_class}
- samnav_celery_tasks_total{task, outcome}     (outcome: succeeded, failed, retried)
- samnav_celery_task_duration_seconds{task}
- samnav_celery_agency_tasks_total{agency, outcome}

The metrics are not a URL of the site: `serve_metrics` starts prometheus-client's own HTTP
server on SAMNAV_METRICS_PORT (9100 in the chart) in the gunicorn master and in the Celery
worker's main process. The Service's web port and the Ingress never lead there; the chart's
NetworkPolicy admits the metrics port from the monitoring namespace only.

Django's LOGGING names this module's filter and formatter, so every process that sets Django
up (web, worker, beat, manage.py) imports it, which connects the Celery signals below.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import time
import uuid
from datetime import UTC, datetime

from celery import signals as celery_signals
from django.core.signals import request_finished
from django.dispatch import receiver
from prometheus_client import Counter, Histogram

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
TASK_REQUEST_ID_HEADER = "samnav_request_id"
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("samnav.request")

# --- Logs -------------------------------------------------------------------------------------


def current_agency() -> str:
    """The schema of this thread's database connection, or '-' before Django is set up."""
    try:
        from django.conf import settings

        if not settings.configured:
            return "-"
        from django.db import connection

        return getattr(connection, "schema_name", None) or "-"
    except Exception:  # logging must never fail because of its context
        return "-"


class LogContextFilter(logging.Filter):
    """Adds `agency` and `request_id` to every record (kept when a caller set them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "agency"):
            record.agency = current_agency()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, agency, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "agency": getattr(record, "agency", "-"),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


# --- Metrics ----------------------------------------------------------------------------------

HTTP_REQUESTS = Counter(
    "samnav_http_requests", "HTTP requests answered.", ["method", "view", "status"]
)
HTTP_LATENCY = Histogram(
    "samnav_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
HTTP_AGENCY_REQUESTS = Counter(
    "samnav_http_agency_requests",
    "HTTP requests answered, per agency schema and status class.",
    ["agency", "status_class"],
)
CELERY_TASKS = Counter("samnav_celery_tasks", "Celery tasks run.", ["task", "outcome"])
CELERY_LATENCY = Histogram(
    "samnav_celery_task_duration_seconds",
    "Time a Celery task ran.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
CELERY_AGENCY_TASKS = Counter(
    "samnav_celery_agency_tasks", "Celery tasks run, per agency schema.", ["agency", "outcome"]
)
TASK_OUTCOMES = {"SUCCESS": "succeeded", "FAILURE": "failed", "RETRY": "retried"}
OUTBOX_DELIVERIES = Counter(
    "samnav_outbox_deliveries",
    "Outbox delivery attempts (services/outbox/): sent, retry (will be tried again), failed.",
    ["channel", "outcome"],
)


def view_label(request, probe: bool) -> str:
    if probe:
        return request.path.strip("/")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestContextMiddleware:
    """Request id in and out, one log line and the metrics of every request. Goes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the request is finished (request_finished below), so that Django's own
        # lines logged after the middleware returned (django.request's 4xx/5xx) carry it too.
        request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            self._record(request, 500, time.perf_counter() - started)
            raise
        self._record(request, response.status_code, time.perf_counter() - started)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def _record(self, request, status: int, seconds: float) -> None:
        probe = getattr(request, "probe", False)
        view = view_label(request, probe)
        method = request.method if request.method in KNOWN_METHODS else "OTHER"
        tenant = getattr(request, "tenant", None)
        agency = tenant.schema_name if tenant is not None else "-"
        HTTP_REQUESTS.labels(method, view, str(status)).inc()
        HTTP_LATENCY.labels(view).observe(seconds)
        HTTP_AGENCY_REQUESTS.labels(agency, f"{status // 100}xx").inc()
        if not probe:
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "agency": agency,
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )


@receiver(request_finished, weak=False, dispatch_uid="samnav-request-id")
def _request_finished(**kwargs):
    request_id_var.set("-")


# --- Celery: request id across the queue, task counts and failures ----------------------------

_task_started: dict[str, tuple[float, contextvars.Token, str]] = {}


def _task_header(task, name: str):
    headers = getattr(task.request, "headers", None) or {}
    return headers.get(name) or task.request.get(name)


def _task_agency(task) -> str:
    return _task_header(task, "_schema_name") or "public"


@celery_signals.setup_logging.connect(weak=False)
def _keep_django_logging(**kwargs):
    """A receiver here stops Celery from replacing the root logger's handlers: workers and beat
    log through Django's LOGGING (JSON, agency, request id) like the web tier. The worker
    imports this module during django.setup(), before it sets up logging."""


@celery_signals.before_task_publish.connect(weak=False)
def _carry_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault(TASK_REQUEST_ID_HEADER, request_id)


@celery_signals.task_prerun.connect(weak=False)
def _task_started_signal(task_id=None, task=None, **kwargs):
    request_id = _task_header(task, TASK_REQUEST_ID_HEADER) or request_id_var.get()
    token = request_id_var.set(task_id if request_id == "-" else request_id)
    _task_started[task_id] = (time.perf_counter(), token, _task_agency(task))


@celery_signals.task_postrun.connect(weak=False)
def _task_finished_signal(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is None:
        return
    began, token, agency = started
    outcome = TASK_OUTCOMES.get(state or "", "failed")
    CELERY_TASKS.labels(task.name, outcome).inc()
    CELERY_LATENCY.labels(task.name).observe(time.perf_counter() - began)
    CELERY_AGENCY_TASKS.labels(agency, outcome).inc()
    try:
        request_id_var.reset(token)
    except ValueError:  # reset from another context: leave it
        request_id_var.set("-")


@celery_signals.worker_ready.connect(weak=False)
def _worker_metrics(**kwargs):
    port = os.environ.get("SAMNAV_METRICS_PORT")
    if port:
        serve_metrics(int(port), os.environ.get("SAMNAV_METRICS_ADDR", "0.0.0.0"))  # noqa: S104


# --- The exporter -----------------------------------------------------------------------------


def metrics_registry():
    """The registry to expose: every process's files in multi-process mode, else this one's."""
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def serve_metrics(port: int, addr: str) -> None:
    """Start prometheus-client's HTTP exporter in a daemon thread of this process."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=addr, registry=metrics_registry())
    logging.getLogger("samnav.metrics").info("metrics exporter on port %s", port)
