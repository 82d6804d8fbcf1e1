"""The servers the image runs, as the chart runs them: gunicorn with deploy/gunicorn.conf.py
(two worker processes, multi-process metrics, JSON logs) and a real Celery worker, each
exporting metrics on a port of its own. Everything listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from config.observability import request_id_var
from services.people.tasks import census
from tests.platform.worker_support import (
    REPO,
    app_on_broker,
    celery_worker,
    database_url,
    delete_queue,
    find_broker,
    result_backend_for,
    unique_queue,
    wait_for,
)

pytestmark = pytest.mark.django_db
GUNICORN = REPO / ".venv" / "bin" / "gunicorn"
POD_HOST = "10.42.0.7:8000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, host: str, **headers: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host, **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def metric_lines(port: int) -> list[str]:
    status, _, body = get(port, "/metrics", "127.0.0.1")
    assert status == 200
    return [line for line in body.decode().splitlines() if line.startswith("samnav_")]


def json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict):
                lines.append(entry)
    return lines


def wait_until_listening(port: int, process: subprocess.Popen, log: Path, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port} after {timeout} s:\n{log.read_text()}")


@pytest.fixture
def observed_env(tmp_path) -> dict[str, str]:
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    return {
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "SAMNAV_METRICS_PORT": str(free_port()),
        "SAMNAV_METRICS_ADDR": "127.0.0.1",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    command = [
        str(GUNICORN), "--config", str(REPO / "deploy" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "config.wsgi:application",
    ]  # fmt: skip
    full_env = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=REPO, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_gunicorn_serves_probes_logs_json_and_exports_summed_metrics(
    federation, observed_env, tmp_path
):
    port, metrics_port = free_port(), int(observed_env["SAMNAV_METRICS_PORT"])
    log = tmp_path / "gunicorn.log"
    # given gunicorn as the web container runs it, against the test database
    with gunicorn(observed_env, port, log) as process:
        wait_until_listening(port, process, log)
        wait_until_listening(metrics_port, process, log)
        # when a kubelet probes the pod by its IP, ten times liveness and once readiness
        for _ in range(10):
            assert get(port, "/healthz", POD_HOST)[::2] == (200, b"ok")
        status, _, body = get(port, "/readyz", POD_HOST)
        assert (status, json.loads(body)["status"]) == (200, "ok")
        # and a visitor opens alpha's home page with a request id from the ingress controller
        status, headers, _ = get(port, "/", "alpha.localhost", **{"X-Request-ID": "req-e2e-7"})
        assert (status, headers["X-Request-ID"]) == (302, "req-e2e-7")
        # and somebody asks for /metrics through the site
        assert get(port, "/metrics", "alpha.localhost")[0] == 404
        # then the exporter on its own port sums both worker processes' counts
        lines = metric_lines(metrics_port)
    alpha = federation.alpha.schema_name
    assert 'samnav_http_requests_total{method="GET",status="200",view="healthz"} 10.0' in lines
    assert 'samnav_http_requests_total{method="GET",status="200",view="readyz"} 1.0' in lines
    assert f'samnav_http_agency_requests_total{{agency="{alpha}",status_class="3xx"}} 1.0' in lines
    assert 'samnav_http_requests_total{method="GET",status="404",view="unmatched"} 1.0' in lines
    pid_files = list(Path(observed_env["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"))
    assert pid_files  # multi-process mode: files per process
    # and every line, gunicorn's own included, is JSON with an agency and a request id
    text = log.read_text()
    entries = json_lines(text)
    assert len(entries) == len(text.splitlines())
    assert all(
        {"time", "level", "logger", "message", "agency", "request_id"} <= set(e) for e in entries
    )
    assert any(e["logger"] == "gunicorn.error" for e in entries)
    # and each request was logged once, naming the agency and the request id, which Django's
    # own line about the 404 carries as well
    requests = [e for e in entries if e["logger"] == "samnav.request"]
    assert [(e["path"], e["agency"], e["request_id"], e["status"]) for e in requests] == [
        ("/", alpha, "req-e2e-7", 302),
        ("/metrics", alpha, requests[1]["request_id"], 404),
    ]
    not_found = [e for e in entries if e["logger"] == "django.request"]
    assert [(e["message"], e["agency"], e["request_id"]) for e in not_found] == [
        ("Not Found: /metrics", alpha, requests[1]["request_id"])
    ]


@pytest.mark.broker
def test_a_real_worker_logs_json_and_exports_task_metrics(federation, observed_env, monkeypatch):
    broker_url, why = find_broker()
    if broker_url is None:
        pytest.skip(why)
    for key, value in observed_env.items():
        monkeypatch.setenv(key, value)  # the worker inherits this process's environment
    metrics_port = int(observed_env["SAMNAV_METRICS_PORT"])
    backend_url = result_backend_for(broker_url)
    alpha = federation.alpha.schema_name
    queue = unique_queue()
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    try:
        # given a real worker exporting metrics, and a request id current in this process
        with (
            celery_worker(broker_url, backend_url, connection.settings_dict["NAME"], queue) as w,
            app_on_broker(broker_url, backend_url),
        ):
            token = request_id_var.set(request_id)
            try:
                # when census is sent from alpha twice
                with schema_context(alpha):
                    results = [census.apply_async(queue=queue) for _ in range(2)]
            finally:
                request_id_var.reset(token)
            wait_for(results, w, timeout=60)
            assert all(r.successful() for r in results), w.log()
            for r in results:
                r.forget()
            # then the worker's exporter counts both, for alpha
            deadline = time.monotonic() + 10
            while True:
                lines = metric_lines(metrics_port)
                done = (
                    f'samnav_celery_agency_tasks_total{{agency="{alpha}",outcome="succeeded"}} 2.0'
                )
                if done in lines or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            log = w.log_path.read_text()
    finally:
        delete_queue(broker_url, queue)
        # app_on_broker force-closes the app's connection pool, which is also kombu's global
        # pool for the default broker URL: drop the global pools, or the next eager task in
        # this process (eager tasks acquire a producer too) finds that pool closed.
        kombu.pools.reset()
    assert done in lines
    assert (
        'samnav_celery_tasks_total{outcome="succeeded",task="services.people.tasks.census"} 2.0'
        in lines
    )
    # and its log lines are JSON, the tasks' own naming the agency and the sender's request id
    succeeded = [
        e
        for e in json_lines(log)
        if e.get("logger") == "celery.app.trace" and "succeeded" in e["message"]
    ]
    assert [(e["agency"], e["request_id"]) for e in succeeded] == [(alpha, request_id)] * 2
