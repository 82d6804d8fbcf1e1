"""`make run`: migrate, load the demo federation, print the addresses, serve.

Served by gunicorn with the production configuration (deploy/gunicorn.conf.py: 2 workers of
4 threads, GUNICORN_WORKERS and GUNICORN_THREADS), bound to the given address, reloading on
code changes unless --noreload; `--runserver` serves with Django's development server instead
(a debugger, not bursts). Local settings open a database connection per request and close it
after (docs/decisions/2026-12-06-serving-the-demo.md).

Ctrl-C reaches gunicorn with this process; SIGTERM to this process is passed on to gunicorn.
Either way this process waits for gunicorn to stop, then exits, and stops the embedded
PostgreSQL if it started it (config/embedded_db.py).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tenants.demo import COUNTY_BOARDS

STOP_SECONDS = 35  # gunicorn's graceful timeout (30 s) and a little


class Command(BaseCommand):
    help = "Prepare the database and demo data, then serve them with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")
        parser.add_argument("--noreload", action="store_true")
        parser.add_argument(
            "--runserver",
            action="store_true",
            help="Serve with Django's development server (one thread per request) instead.",
        )

    def handle(self, *args, **o):
        addrport = o["addrport"] if ":" in o["addrport"] else f"127.0.0.1:{o['addrport']}"
        port = addrport.rsplit(":", 1)[-1]
        if os.environ.get("RUN_MAIN") != "true":  # the autoreloader's child skips the setup
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
            call_command("setup_federation", verbosity=0)
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
            if not o["no_demo"] and settings.SAMNAV_DEMO_ENABLED:
                call_command("load_demo")
                self._banner(port, o["runserver"])
        connections.close_all()  # this process holds no connection while it serves
        if o["runserver"]:
            call_command("runserver", addrport, use_reloader=not o["noreload"])
        else:
            self._gunicorn(addrport, reload=not o["noreload"])

    def _gunicorn(self, addrport: str, reload: bool) -> None:
        base = settings.BASE_DIR
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(base / "deploy" / "gunicorn.conf.py"),
            # What differs from production: the address, the access log on the terminal, and
            # X-Forwarded-* trusted from this machine only (no ingress in front).
            "--bind",
            addrport,
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--pythonpath",
            str(base / "platform"),
            *(["--reload"] if reload else []),
            "config.wsgi:application",
        ]
        # Plain log lines on a terminal (production writes JSON); DJANGO_SETTINGS_MODULE and
        # DATABASE_URL (the embedded PostgreSQL's, when it was started) are passed on as set.
        env = {"LOG_FORMAT": "plain", **os.environ}
        server = subprocess.Popen(command, cwd=base, env=env)  # noqa: S603 (our own command)
        previous = signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGTERM))
        try:
            code = self._wait(server)
        finally:
            signal.signal(signal.SIGTERM, previous)
        if code not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise CommandError(f"gunicorn stopped with exit status {code}; see its log above.")

    @staticmethod
    def _wait(server: subprocess.Popen) -> int:
        """gunicorn's exit status. On Ctrl-C (the terminal signals gunicorn too) it is told
        again, in case only this process was interrupted; a second Ctrl-C, or no stop within
        STOP_SECONDS, kills it."""
        try:
            return server.wait()
        except KeyboardInterrupt:
            pass
        try:
            server.send_signal(signal.SIGINT)
            return server.wait(STOP_SECONDS)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            server.kill()
            return server.wait()

    def _banner(self, port: str, runserver: bool) -> None:
        w = self.stdout.write
        w("")
        w(
            f"Central IT:   http://{settings.SAMNAV_CENTRAL_HOST}:{port}/   "
            f"(GraphQL: /graphql/, admin: /admin/)"
        )
        base = settings.SAMNAV_BASE_DOMAIN
        w(f"An agency:    http://uppsala.{base}:{port}/   (every county: SLUG.{base})")
        w("Sign-ins:     admin, katalog, servicedesk, tekniker, ekonomi; SLUG-admin, SLUG-staff")
        w(f"              e.g. uppsala-admin   slugs: {', '.join(s for s, *_ in COUNTY_BOARDS)}")
        w(f"Password:     {settings.SAMNAV_DEMO_PASSWORD}   (demo accounts only)")
        if runserver:
            w("Server:       Django's development server (--runserver)")
        else:
            workers = os.environ.get("GUNICORN_WORKERS", "2")
            threads = os.environ.get("GUNICORN_THREADS", "4")
            w(f"Server:       gunicorn, {workers} workers x {threads} threads (as in production)")
        w("Stop with Ctrl-C (stops the embedded database too).")
        w("")
