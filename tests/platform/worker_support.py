"""Support for the Celery tests: a probe task that writes, and a real worker on a real broker.

The probe task lives here (not in the product) so that a test can show a task that *would*
write is stopped before it touches anything. A real worker imports this module with
`--include`, so the probe runs there too.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from django.db import connection, connections
from kombu import Exchange, Queue

from config.broker import reachable
from config.celery import app
from services.people.models import Person

REPO = Path(__file__).resolve().parents[2]
CELERY = REPO / ".venv" / "bin" / "celery"
REDIS_URL = "redis://127.0.0.1:6379/0"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"

T = TypeVar("T")

# Emails the probe was asked to write in this process (eager mode runs it here).
PROBED: list[str] = []


@app.task(base=app.agency_task_cls, name="tests.platform.worker_support.probe_write")
def probe_write(email: str) -> str:
    """Write one person with `email` into the task's schema and return that schema's name."""
    PROBED.append(email)
    Person.objects.create(name="Celery probe", email=email)
    return connection.schema_name


def committed(work: Callable[[], T]) -> T:
    """Run `work` on a database connection of its own (a thread of its own), in autocommit.

    Its writes are committed at once, so another process (a worker) sees them, even while the
    test's own connection sits in pytest-django's per-test transaction."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


# --- Broker ------------------------------------------------------------------------------------


def find_broker() -> tuple[str | None, str]:
    """The broker to test against and how it was chosen, or None and why there is none.

    CELERY_TEST_BROKER_URL wins; otherwise local Redis, then local RabbitMQ."""
    configured = os.environ.get("CELERY_TEST_BROKER_URL")
    if configured:
        return configured, "CELERY_TEST_BROKER_URL"
    if reachable("127.0.0.1", 6379, timeout=1.0):
        return REDIS_URL, "Redis on 127.0.0.1:6379"
    if reachable("127.0.0.1", 5672, timeout=1.0):
        return AMQP_URL, "RabbitMQ on 127.0.0.1:5672"
    return None, (
        "no message broker reachable: set CELERY_TEST_BROKER_URL, or run Redis on "
        "127.0.0.1:6379 or RabbitMQ on 127.0.0.1:5672"
    )


def result_backend_for(broker_url: str) -> str:
    """Redis stores results in the broker's own Redis; RabbitMQ sends them back over rpc://."""
    scheme = urlsplit(broker_url).scheme
    if scheme in {"redis", "rediss"}:
        return broker_url
    if scheme in {"amqp", "amqps", "pyamqp"}:
        return "rpc://"
    raise ValueError(f"no result backend known for broker {broker_url!r}")


@contextlib.contextmanager
def app_on_broker(broker_url: str, backend_url: str) -> Iterator[None]:
    """Point the Celery app of this process at a real broker; restore eager mode after."""
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}

    def reset_connections() -> None:
        import kombu.pools

        kombu.pools.reset()  # later eager tasks in this process must not get a closed pool
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        app._backend_cache = None
        with contextlib.suppress(AttributeError):
            del app._local.backend

    def delete_reply_queue() -> None:
        # rpc:// declares a reply queue for this process (expiring only after a day): drop it.
        backend = app._backend
        if backend is not None and urlsplit(backend_url).scheme == "rpc":
            with app.connection_for_write(broker_url) as conn:
                backend.binding(conn.default_channel).delete()

    reset_connections()
    app.conf.update(broker_url=broker_url, result_backend=backend_url, task_always_eager=False)
    try:
        yield
    finally:
        try:
            delete_reply_queue()
        finally:
            reset_connections()
            app.conf.update(saved)


def delete_queue(broker_url: str, name: str) -> None:
    """Purge and delete a queue of this run (and its Redis binding) on the broker."""
    queue = Queue(name, Exchange(name, type="direct"), routing_key=name)
    with app.connection_for_write(broker_url) as conn:
        bound = queue(conn.default_channel)
        bound.declare()  # binds it in this channel too, so delete() also drops the binding
        bound.purge()
        bound.delete()


def unique_queue() -> str:
    """A queue name of this test run only, so a shared broker's other users are untouched."""
    return f"samnav-test-{uuid.uuid4().hex}"


# --- Worker ------------------------------------------------------------------------------------


def database_url(name: str) -> str:
    """The DATABASE_URL of this process, with the database `name` (the test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    queue: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise AssertionError(f"the Celery worker exited with {code}:\n{self.log()}")


@contextlib.contextmanager
def celery_worker(broker_url: str, backend_url: str, database: str, queue: str) -> Iterator[Worker]:
    """Run a real worker (solo pool) consuming only `queue`; always stop it after."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "platform")]),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(database),
        "SAMNAV_CELERY_WORKER": "1",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": backend_url,
    }
    command = [
        str(CELERY), "-A", "config.celery", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--include", "tests.platform.worker_support",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="samnav-worker-") as folder:
        log_path = Path(folder) / "worker.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            yield Worker(process=process, log_path=log_path, queue=queue)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@contextlib.contextmanager
def worker_for_tests(broker_url: str) -> Iterator[Worker]:
    """A real worker on a queue of its own against the test database, with this process's
    Celery app on the same broker; the queue is deleted after the worker stopped (so that it
    cannot declare it again)."""
    queue = unique_queue()
    backend_url = result_backend_for(broker_url)
    try:
        with (
            celery_worker(
                broker_url, backend_url, connection.settings_dict["NAME"], queue
            ) as worker,
            app_on_broker(broker_url, backend_url),
        ):
            yield worker
    finally:
        delete_queue(broker_url, queue)


def wait_for(results: list, worker: Worker, timeout: float = 60.0) -> None:
    """Wait until every result is ready; fail at once if the worker dies, or at the deadline."""
    deadline = time.monotonic() + timeout
    pending = list(results)
    while pending:
        worker.check_alive()
        pending = [r for r in pending if not r.ready()]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{len(pending)} of {len(results)} tasks not done after {timeout:.0f} s; "
                f"worker log:\n{worker.log()}"
            )
        time.sleep(0.1)
