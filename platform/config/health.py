"""Health probes: /healthz (the process answers) and /readyz (it can serve).

Kubernetes probes a pod by its IP, so the Host header names no agency. `ProbeMiddleware`,
placed before django-tenants' TenantMainMiddleware, answers the two probe paths itself when
the request carries no host name (an IP address, or no Host at all); a named host goes through
the usual tenant routing, where the same paths are plain URLs. An unknown or offboarded host
name therefore stays refused (400 outside ALLOWED_HOSTS, 404 inside), probes included.

/readyz checks, with short timeouts, and caches the answer for SAMNAV_READYZ_CACHE_SECONDS so
that polling every few seconds costs at most one round of checks per interval and process:
- database: `SELECT 1`;
- migrations: every shared app's migration on disk is recorded in the public schema
  (squashed migrations count as applied when everything they replace is);
- broker: a connection to CELERY_BROKER_URL opens, when one is configured.
Failures are logged with their cause; the response names only the failing check.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from functools import cache

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger("samnav.health")

PROBE_PATHS = ("/healthz", "/readyz")
BROKER_TIMEOUT_SECONDS = 2.0

_lock = threading.Lock()
_cached: tuple[float, int, dict] | None = None  # (expires at, status, body)


def healthz(request):
    """The process answers: nothing else is checked (a liveness probe must not flap)."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    status, body = readiness()
    return JsonResponse(body, status=status)


def readiness() -> tuple[int, dict]:
    """(HTTP status, body) of the readiness checks, cached for a few seconds."""
    global _cached
    now = time.monotonic()
    with _lock:
        if _cached is not None and _cached[0] > now:
            return _cached[1], _cached[2]
        checks = run_checks()
        ready = all(result in ("ok", "skipped") for result in checks.values())
        status = 200 if ready else 503
        body = {"status": "ok" if ready else "unavailable", "checks": checks}
        ttl = getattr(settings, "SAMNAV_READYZ_CACHE_SECONDS", 5.0)
        _cached = (now + ttl, status, body)
        return status, body


def forget_readiness() -> None:
    """Drop the cached answer (tests, and after a migration run in this process)."""
    global _cached
    with _lock:
        _cached = None


def run_checks() -> dict[str, str]:
    checks = {"database": _check(check_database)}
    checks["migrations"] = _check(check_migrations) if checks["database"] == "ok" else "skipped"
    checks["broker"] = _check(check_broker) if settings.CELERY_BROKER_URL else "skipped"
    return checks


def _check(check) -> str:
    try:
        problem = check()
    except Exception as exc:  # any failure means "not ready"; the cause goes to the log
        logger.warning("readiness check %s failed: %r", check.__name__, exc)
        return "failed"
    if problem:
        logger.warning("readiness check %s: %s", check.__name__, problem)
        return "failed"
    return "ok"


def check_database() -> str:
    # Both checks name their tables in full: whatever schema the connection was left in
    # (even an offboarded agency's, since dropped), they read the same rows.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def check_migrations() -> str:
    """'' when every shared migration on disk is applied in public, else what is missing."""
    nodes = shared_disk_migrations()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app, name FROM public.django_migrations WHERE app = ANY(%s)",
            [sorted({app for key, replaces in nodes for app, _ in (key, *replaces)})],
        )
        applied = {(app, name) for app, name in cursor.fetchall()}
    missing = [
        key
        for key, replaces in nodes
        if key not in applied and not (replaces and all(r in applied for r in replaces))
    ]
    if missing:
        return f"{len(missing)} shared migration(s) not applied, e.g. {missing[0]}"
    return ""


@cache
def shared_disk_migrations() -> tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...]:
    """The shared apps' migrations on disk, each with what it replaces (read once a process)."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    shared = {c.label for c in apps.get_app_configs() if c.name in settings.SHARED_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple(
        sorted(
            (key, tuple(tuple(r) for r in loader.graph.nodes[key].replaces))
            for key in loader.graph.nodes
            if key[0] in shared
        )
    )


def check_broker() -> str:
    from kombu import Connection

    timeout = BROKER_TIMEOUT_SECONDS
    # Socket timeouts too: a broker that accepts the connection and then says nothing must not
    # hold the probe (Redis reads socket_*, RabbitMQ read_/write_timeout; others ignore them).
    options = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "read_timeout": timeout,
        "write_timeout": timeout,
    }
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=timeout)
    return ""


def host_is_an_address(request) -> bool:
    """True when the Host header is missing or an IP address (with or without a port)."""
    host = request.META.get("HTTP_HOST", "").strip()
    if not host:
        return True
    if host.startswith("["):  # [IPv6]:port
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:  # IPv4:port or name:port
        host = host.partition(":")[0]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class ProbeMiddleware:
    """Answer /healthz and /readyz for requests without a host name, before tenant routing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in PROBE_PATHS and host_is_an_address(request):
            request.probe = True
            return healthz(request) if request.path == "/healthz" else readyz(request)
        return self.get_response(request)
