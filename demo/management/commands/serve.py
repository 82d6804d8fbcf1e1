"""`make run`: migrate, load the demo federation, print the addresses, then serve with a Celery
worker and beat next to the web server, as production runs them (deploy/entrypoint.sh).

- Web: gunicorn with the production configuration (deploy/gunicorn.conf.py: 2 workers of 4
  threads, GUNICORN_WORKERS and GUNICORN_THREADS), reloading on code changes unless
  --noreload; `--runserver` serves with Django's development server instead (a debugger, not
  bursts). Local settings open a database connection per request and close it after
  (docs/decisions/2026-12-06-serving-the-demo.md).
- Worker and beat: on the broker config/broker.py chooses (the local Redis or RabbitMQ, or
  files when neither answers), in a queue of their own; `--no-worker` serves the web alone,
  with tasks run eagerly in the request (docs/decisions/2026-12-07-make-run-worker-beat.md).

Ctrl-C reaches every process with this one; SIGTERM to this process is passed on. Either way
this process waits for them to stop (killing what has not stopped within STOP_SECONDS), then
exits, and stops the embedded PostgreSQL if it started it (config/embedded_db.py). When one of
them stops by itself, the others are stopped too and the command fails, naming it.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from config.broker import local_broker, local_ratelimit_cache
from demo.loader import COUNTY_BOARDS

STOP_SECONDS = 35  # gunicorn's graceful timeout (30 s) and a little
DEMO_QUEUE = "samnav-run"


class Command(BaseCommand):
    help = "Prepare the database and demo data, then serve them with a worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")
        parser.add_argument("--noreload", action="store_true")
        parser.add_argument(
            "--runserver",
            action="store_true",
            help="Serve with Django's development server (one thread per request) instead.",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="No Celery worker and beat: tasks run eagerly in the request.",
        )

    def handle(self, *args, **o):
        addrport = o["addrport"] if ":" in o["addrport"] else f"127.0.0.1:{o['addrport']}"
        port = addrport.rsplit(":", 1)[-1]
        reloaded = os.environ.get("RUN_MAIN") == "true"  # the autoreloader's child
        broker = None if o["no_worker"] or reloaded else self._broker()
        counters = "" if reloaded else self._ratelimit_cache()
        if not reloaded:
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
            call_command("setup_federation", verbosity=0)
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
            demo = not o["no_demo"] and settings.SAMNAV_DEMO_ENABLED
            if demo:
                call_command("load_demo")
            self._banner(port, o["runserver"], broker, demo, counters)
        connections.close_all()  # this process holds no connection while it serves
        if o["runserver"] and broker is None:
            call_command("runserver", addrport, use_reloader=not o["noreload"])
            return
        web = self._runserver(addrport) if o["runserver"] else self._gunicorn(addrport, o)
        processes = {"web": web}
        if broker is not None:
            processes["worker"] = self._celery("worker", *WORKER_ARGS)
            processes["beat"] = self._celery("beat", *self._beat_args())
        self._supervise(processes)

    @staticmethod
    def _broker() -> tuple[str, str]:
        """Choose the broker once, for every process started here (they inherit it)."""
        url, how = local_broker(os.environ.get("CELERY_BROKER_URL", ""))
        os.environ["CELERY_BROKER_URL"] = url
        os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", DEMO_QUEUE)
        return url, how

    @staticmethod
    def _ratelimit_cache() -> str:
        """Choose where the web workers count requests (they inherit it); how, for the banner."""
        url, how = local_ratelimit_cache(os.environ.get("RATELIMIT_CACHE_URL", ""))
        if url:
            os.environ["RATELIMIT_CACHE_URL"] = url
        # The shared cache too (who else has a ticket open, services/support/portal/presence.py):
        # the web workers are separate processes, so each one's memory would not do.
        if "CACHE_BACKEND" not in os.environ:
            if url:
                os.environ["CACHE_BACKEND"] = "django.core.cache.backends.redis.RedisCache"
                os.environ["CACHE_LOCATION"] = url
            else:
                os.environ["CACHE_BACKEND"] = "django.core.cache.backends.filebased.FileBasedCache"
                os.environ["CACHE_LOCATION"] = str(settings.BASE_DIR / ".cache")
        return how

    def _start(self, command: list[str]) -> subprocess.Popen:
        # Plain log lines on a terminal (production writes JSON); DJANGO_SETTINGS_MODULE,
        # DATABASE_URL (the embedded PostgreSQL's, when it was started) and the broker are
        # passed on as set.
        base = settings.BASE_DIR
        path = os.pathsep.join(p for p in (str(base / "platform"), str(base)) if p)
        env = {"LOG_FORMAT": "plain", **os.environ, "PYTHONPATH": path}
        return subprocess.Popen(command, cwd=base, env=env)  # noqa: S603 (our own command)

    def _gunicorn(self, addrport: str, o: dict) -> subprocess.Popen:
        base = settings.BASE_DIR
        return self._start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(base / "deploy" / "gunicorn.conf.py"),
                # What differs from production: the address, the access log on the terminal,
                # and X-Forwarded-* trusted from this machine only (no ingress in front).
                "--bind",
                addrport,
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--pythonpath",
                str(base / "platform"),
                *([] if o["noreload"] else ["--reload"]),
                "config.wsgi:application",
            ]
        )

    def _runserver(self, addrport: str) -> subprocess.Popen:
        manage = str(settings.BASE_DIR / "manage.py")
        return self._start([sys.executable, manage, "runserver", addrport, "--noreload"])

    def _celery(self, role: str, *args: str) -> subprocess.Popen:
        return self._start([sys.executable, "-m", "celery", "--app", "config.celery", role, *args])

    @staticmethod
    def _beat_args() -> list[str]:
        folder = settings.BASE_DIR / ".celery"
        folder.mkdir(exist_ok=True)
        return ["--loglevel", "INFO", "--schedule", str(folder / "beat-schedule")]

    def _supervise(self, processes: dict[str, subprocess.Popen]) -> None:
        """Wait until Ctrl-C, SIGTERM or one process stopping; then stop them all."""
        stopping: list[str] = []
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append("SIGTERM"))
        stopped = None
        try:
            while not stopping and stopped is None:
                stopped = next(
                    ((name, p.returncode) for name, p in processes.items() if p.poll() is not None),
                    None,
                )
                time.sleep(0.3)
        except KeyboardInterrupt:
            stopping.append("SIGINT")
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop(processes, signal.SIGTERM if "SIGTERM" in stopping else signal.SIGINT)
        if stopped is not None:
            name, code = stopped
            raise CommandError(f"{name} stopped with exit status {code}; see its log above.")

    @staticmethod
    def _stop(processes: dict[str, subprocess.Popen], sig: int) -> None:
        """Tell every running process (again: the terminal told them of a Ctrl-C); a second
        Ctrl-C, or no stop within STOP_SECONDS, kills what is left."""
        for p in processes.values():
            if p.poll() is None:
                p.send_signal(sig)
        deadline = time.monotonic() + STOP_SECONDS
        try:
            for p in processes.values():
                p.wait(max(0.1, deadline - time.monotonic()))
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            pass
        for p in processes.values():
            if p.poll() is None:
                p.kill()
                p.wait()

    def _banner(
        self,
        port: str,
        runserver: bool,
        broker: tuple[str, str] | None,
        demo: bool,
        counters: str,
    ) -> None:
        w = self.stdout.write
        w("")
        w(
            f"Central IT:   http://{settings.SAMNAV_CENTRAL_HOST}:{port}/   "
            f"(GraphQL: /graphql/, admin: /admin/)"
        )
        base = settings.SAMNAV_BASE_DOMAIN
        w(f"An agency:    http://uppsala.{base}:{port}/   (every county: SLUG.{base})")
        if demo:
            w("Sign-ins:     admin, katalog, servicedesk, tekniker, ekonomi;")
            w("              SLUG-admin, SLUG-staff")
            slugs = ", ".join(s for s, *_ in COUNTY_BOARDS)
            w(f"              e.g. uppsala-admin   slugs: {slugs}")
            w(f"Password:     {settings.SAMNAV_DEMO_PASSWORD}   (demo accounts only)")
        if runserver:
            w("Server:       Django's development server (--runserver)")
        else:
            workers = os.environ.get("GUNICORN_WORKERS", "2")
            threads = os.environ.get("GUNICORN_THREADS", "4")
            w(f"Server:       gunicorn, {workers} workers x {threads} threads (as in production)")
        if broker is None:
            w("Tasks:        run in the request (--no-worker): nothing periodic runs")
        else:
            w(f"Tasks:        a Celery worker and beat, on {broker[1]} ({broker[0]})")
        w(f"Rate limits:  counted in {counters} (README: Hardening)")
        token, secret = settings.SAMNAV_INBOUND_EMAIL_TOKEN, settings.SAMNAV_SMS_WEBHOOK_SECRET
        w(f"E-mail in:    POST /inbound/email/  header X-Samnav-Token: {token}")
        w(f"SMS in:       POST /inbound/sms/    signed (HMAC-SHA256) with: {secret}")
        w(f"              try them: python manage.py try_channel email|sms --port {port}")
        mail_dir = settings.EMAIL_FILE_PATH  # type: ignore[misc]  # config.settings.local's own
        w(f"Mail out:     files in {mail_dir}/   Chat: in the portal")
        w("Stop with Ctrl-C (stops the worker, beat and embedded database too).")
        w("")


WORKER_ARGS = ("--loglevel", "INFO", "--concurrency", "2", "--without-mingle", "--without-gossip")
