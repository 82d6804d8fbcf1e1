"""A real Samnav server for the browser tests: its own database on the test PostgreSQL server,
migrated and seeded by subprocesses, served by `runserver` on a free port.

The pytest process never touches this database through Django (its event loop belongs to
Playwright); checks read the pages, as a user would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    base = os.environ["DATABASE_URL"]  # set by the test settings (configured or embedded)
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(name: str) -> str:
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


BROWSER_OIDC_SECRET = "browser-oidc-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortalServer:
    def __init__(self, db_name: str, log_dir: Path):
        self.db_name = db_name
        self.port = free_port()
        self.log_dir = log_dir
        self.env = {
            **os.environ,
            "DATABASE_URL": recreate_database(db_name),
            "DJANGO_SETTINGS_MODULE": "config.settings.browser",
            "PYTHONUNBUFFERED": "1",
            # runserver starts a thread per request: persistent connections would outlive
            # them and pile up until PostgreSQL refuses clients (the security tests' bursts).
            "DATABASE_CONN_MAX_AGE": "0",
            # The client secret the federated sign-in test registers at its OpenID provider.
            "SAMNAV_BROWSER_OIDC_SECRET": BROWSER_OIDC_SECRET,
        }
        self.process: subprocess.Popen | None = None

    def url(self, agency: str | None = None, path: str = "/") -> str:
        host = "localhost" if agency is None else f"{agency}.localhost"
        return f"http://{host}:{self.port}{path}"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, module: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> None:
        """Migrate and seed the server's database."""
        self.manage("migrate_schemas", "--shared", "--noinput", "-v", "0")
        self.manage("setup_federation", "-v", "0")
        self.manage("migrate_schemas", "--tenant", "--noinput", "-v", "0")
        self.python("tests.browser.seed")

    def command(self) -> list[str]:
        """The server's command line."""
        address = f"127.0.0.1:{self.port}"
        return [sys.executable, "manage.py", "runserver", address, "--noreload", "--insecure"]

    def start(self) -> None:
        self.prepare()
        self._log = open(self.log_dir / "server.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            self.command(),
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() can end whatever it started, and only that
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url(path="/healthz"), timeout=2)  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not start; see {self.log_dir / 'server.log'}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "_log", None):
            self._log.close()
        admin = database_url("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


class DemoPortalServer(PortalServer):
    """The demo federation of `make run`, with the seven county boards its major incidents
    need (not all 21: a third of the time), served as the browser tests' server is."""

    AGENCIES = "stockholm,uppsala,sodermanland,ostergotland,jonkoping,kronoberg,kalmar"

    def prepare(self) -> None:
        self.manage("migrate_schemas", "--shared", "--noinput", "-v", "0")
        self.manage("setup_federation", "-v", "0")
        self.manage("migrate_schemas", "--tenant", "--noinput", "-v", "0")
        self.manage("load_demo", "-v", "0", "--agencies", self.AGENCIES)


class DemoServer(PortalServer):
    """`manage.py serve`, as `make run` runs it (web, worker and beat), on a seeded database of
    its own; `env` adds to (or overrides) the environment, as a user's shell would."""

    def __init__(self, db_name: str, log_dir: Path, env: dict[str, str] | None = None):
        super().__init__(db_name, log_dir)
        self.env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"  # manage.py's default
        for name in (
            "DATABASE_CONN_MAX_AGE",
            "GUNICORN_WORKERS",
            "GUNICORN_THREADS",
            "CELERY_BROKER_URL",
            "SAMNAV_INBOUND_EMAIL_TOKEN",
            "SAMNAV_SMS_WEBHOOK_SECRET",
        ):
            self.env.pop(name, None)  # `make run` as a newcomer runs it
        self.env.update(env or {})

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "serve", f"127.0.0.1:{self.port}", "--no-demo"]

    def stop(self) -> None:
        """SIGTERM to `serve` (it stops its server), then to whatever is left of its group."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(15)
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        super().stop()  # closes the log, drops the database
