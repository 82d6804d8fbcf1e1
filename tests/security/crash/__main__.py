"""Crash consistency with a real broker and a real worker (long: about a minute; not part of
`make test`):

    .venv/bin/python -m tests.security.crash [--pools 2000] [--mails 300]

Needs Redis on 127.0.0.1:6379 (or CELERY_TEST_BROKER_URL) and the PostgreSQL server of the
tests (embedded or DATABASE_URL). It works on a database of its own (samnav_crash, dropped at
the end) and a queue of its own, so nothing else on the broker or server is touched.

1. The monthly split. A clean run of the month gives the reference checksum. Then a second
   run is sent while this process holds the month's row lock: the worker marks the run
   RUNNING and blocks inside the split's transaction. The worker is killed (SIGKILL), the lock
   released, the worker restarted. Late acknowledgement with reject-on-worker-lost (and the
   broker's visibility timeout) delivers the task again; the run must finish DONE with the
   same lines and the same checksum as the clean run, and no line of the killed attempt left.
2. A batch of notifications through the outbox (services/outbox/): rows committed together,
   one delivery task each. Mail goes to files (Django's file backend, one folder for every
   process). The worker is killed once a part of the batch is out, then restarted, and the
   sweeper runs once; every notification must be in the folder (none lost) and every row
   marked sent. Each must be there once, except the one the worker had handed to the mail
   server and not yet committed as sent when it was killed (the window no mail protocol lets
   us close: services/outbox/delivery.py): it may be there twice, with one Message-ID.
3. Lost tasks: a caller (tests/security/crash/lost.py) queues 20 mails in one transaction and
   is killed by SIGKILL as it commits, before their delivery tasks reach the broker. The rows
   are there and no mail goes out; the sweeper, run as beat runs it, hands them to the
   worker, and each must arrive once and be marked sent.

Exit status 0 when all three hold; 1 with the differences printed otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

from tests.browser.server import REPO, database_url, recreate_database

CELERY = REPO / ".venv" / "bin" / "celery"
DB_NAME = "samnav_crash"
SETTINGS = "tests.security.crash.settings"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def broker() -> str:
    """CELERY_TEST_BROKER_URL, else Redis on 127.0.0.1:6379 (as tests/platform's worker tests;
    the short visibility timeout of the redelivery is a Redis transport option)."""
    import socket

    configured = os.environ.get("CELERY_TEST_BROKER_URL")
    if configured:
        return configured
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1.0).close()
    except OSError:
        sys.exit("crash scenario: no Redis on 127.0.0.1:6379 (or set CELERY_TEST_BROKER_URL)")
    return "redis://127.0.0.1:6379/0"


class Scenario:
    def __init__(self, pools: int, mails: int):
        self.pools, self.mails = pools, mails
        self.broker = broker()
        self.queue = f"samnav-crash-{uuid.uuid4().hex[:12]}"
        self.folder = Path(tempfile.mkdtemp(prefix="samnav-crash-"))
        self.mail_dir = self.folder / "mail"
        self.mail_dir.mkdir()
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "platform")]),
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SAMNAV_CELERY_WORKER": "1",
            "CELERY_BROKER_URL": self.broker,
            "CELERY_RESULT_BACKEND": "",
            "SAMNAV_CRASH_MAIL_DIR": str(self.mail_dir),
            "SAMNAV_CRASH_QUEUE": self.queue,  # the outbox's tasks go to the default queue
        }
        self.worker: subprocess.Popen | None = None
        self.workers_started = 0

    # --- processes ----------------------------------------------------------------------------

    def run(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=REPO, env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare_database(self) -> int:
        self.env["DATABASE_URL"] = recreate_database(DB_NAME)
        self.run("manage.py", "migrate_schemas", "--shared", "--noinput", "-v", "0")
        self.run("manage.py", "setup_federation", "-v", "0")
        self.run("manage.py", "migrate_schemas", "--tenant", "--noinput", "-v", "0")
        return int(self.run("-m", "tests.security.crash.seed", str(self.pools)).strip())

    def start_worker(self) -> None:
        self.workers_started += 1
        out = open(self.folder / f"worker-{self.workers_started}.log", "wb")  # noqa: SIM115
        self.worker = subprocess.Popen(  # noqa: S603
            [
                str(CELERY),
                "-A",
                "config.celery",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{self.workers_started}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],  # fmt: skip
            cwd=REPO,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(timeout=15)
        log(f"worker {self.workers_started} killed (SIGKILL)")

    def stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait(timeout=15)

    def setup_django(self) -> None:
        os.environ.update(self.env)
        import django

        django.setup()

    # --- 1. the split -------------------------------------------------------------------------

    def send_run(self, period_id: int):
        from services.costs.models import AllocationRun
        from services.costs.tasks import run_allocation

        run = AllocationRun.objects.create(period_id=period_id, task_id=str(uuid.uuid4()))
        run_allocation.apply_async((run.pk,), task_id=run.task_id, queue=self.queue)
        return run

    def wait_run(self, run, states: set[str], timeout: float = 120.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.state in states:
                return run
            time.sleep(0.2)
        raise AssertionError(f"run {run.pk} still {run.state} after {timeout:.0f} s")

    @staticmethod
    def lines_digest(period_id: int) -> str:
        """An md5 of the month's lines as the split wrote them (our own check, next to the
        run's checksum): pool, agency, key version, amount and share of every line."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT md5(string_agg(concat_ws(',', pool_id, agency_id, key_version_id, "
                "amount_ore, share), '|' ORDER BY pool_id, agency_id)) "
                "FROM costs_allocationline WHERE period_id = %s",
                [period_id],
            )
            return cursor.fetchone()[0]

    def split(self, period_id: int) -> list[str]:
        from django.db import connection

        from services.costs.models import AllocationLine, RunState

        problems = []
        clean = self.wait_run(self.send_run(period_id), {RunState.DONE, RunState.FAILED})
        assert clean.state == RunState.DONE, clean.error
        reference = (clean.lines, clean.checksum)
        digest = self.lines_digest(period_id)
        log(f"clean run: {clean.lines} lines, checksum {clean.checksum}, rows md5 {digest}")

        # the month's row locked here (NO KEY UPDATE: new runs may still reference it) so
        # that the next run blocks inside the split's transaction, at its FOR UPDATE
        locker = psycopg.connect(database_url(DB_NAME))
        try:
            locker.execute(
                "SELECT id FROM costs_period WHERE id = %s FOR NO KEY UPDATE", [period_id]
            )
            crashed = self.send_run(period_id)
            self.wait_run(crashed, {RunState.RUNNING}, timeout=60)
            time.sleep(0.5)  # inside execute_run, waiting for the lock
            self.kill_worker()
        finally:
            locker.rollback()
            locker.close()
        crashed.refresh_from_db()
        log(f"killed run {crashed.pk} left in state {crashed.state} (progress {crashed.progress})")
        if crashed.state != RunState.RUNNING:
            problems.append(f"the killed run was {crashed.state}, not RUNNING: no crash tested")
        if AllocationLine.objects.filter(run=crashed).exists():
            problems.append("lines of the killed attempt were committed")

        self.start_worker()
        after = self.wait_run(crashed, {RunState.DONE, RunState.FAILED}, timeout=120)
        log(f"redelivered run: {after.state}, {after.lines} lines, checksum {after.checksum}")
        if (after.state, after.lines, after.checksum) != (RunState.DONE, *reference):
            problems.append(
                f"after the crash: {after.state} {after.lines} lines {after.checksum}; "
                f"clean run: {reference}"
            )
        if self.lines_digest(period_id) != digest:
            problems.append("the month's lines differ from the clean run's")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), sum(amount_ore) FROM costs_allocationline WHERE period_id = %s",
                [period_id],
            )
            count, total = cursor.fetchone()
            cursor.execute(
                "SELECT sum(amount_ore) FROM costs_costpool WHERE period_id = %s", [period_id]
            )
            (pooled,) = cursor.fetchone()
        if (count, total) != (reference[0], pooled):
            problems.append(
                f"lines {count} summing {total}; expected {reference[0]} summing {pooled}"
            )
        return problems

    # --- 2. notifications ---------------------------------------------------------------------

    def mails_sent(self) -> list[tuple[str, str]]:
        """(Subject, Message-ID) of every mail in the folder, copies included."""
        sent = []
        for path in self.mail_dir.iterdir():
            # the file backend appends each message followed by a line of 79 dashes
            for chunk in path.read_text(errors="replace").split("-" * 79 + "\n"):
                if chunk.strip():
                    mail = email.message_from_string(chunk)
                    sent.append((mail["Subject"], mail["Message-ID"]))
        return sent

    def subjects_sent(self) -> Counter:
        return Counter(subject for subject, _id in self.mails_sent())

    def notifications(self) -> list[str]:
        from django.db import transaction

        from services.outbox.models import Channel
        from services.outbox.queue import put

        batch = uuid.uuid4().hex[:8]
        wanted = [f"crash {batch} #{i:04d}" for i in range(self.mails)]
        with transaction.atomic():  # the rows commit together; their tasks go out after
            for subject in wanted:
                put(
                    Channel.EMAIL,
                    ["crash@samnav.invalid"],
                    "Crash-consistency check.",
                    subject=subject,
                )
        log(f"{len(wanted)} notifications queued")
        # kill once about a fifth of the batch is out
        deadline = time.monotonic() + 120
        while sum(self.subjects_sent().values()) < max(1, self.mails // 5):
            if time.monotonic() > deadline:
                return ["the worker sent too little to be killed mid-batch"]
            time.sleep(0.01)
        self.kill_worker()
        out = set(self.subjects_sent())
        at_kill = len(out)
        log(f"{at_kill} of {len(wanted)} mails out when the worker was killed")
        if at_kill >= len(wanted):
            return ["the batch was done before the kill: no crash tested"]
        from services.outbox.models import CentralMessage

        # In flight at the kill: accepted by the mail server, not committed as sent. These,
        # and only these, may go out again (docs: services/outbox/delivery.py).
        in_flight = set(
            CentralMessage.objects.filter(subject__in=out)
            .exclude(state="sent")
            .values_list("subject", flat=True)
        )
        log(f"in flight at the kill (out, not committed): {len(in_flight)}")
        self.start_worker()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            sent = self.subjects_sent()
            if set(wanted) <= set(sent) and time.monotonic() > deadline - 170:
                break
            time.sleep(0.5)
        time.sleep(6)  # past the visibility timeout: a late redelivery would show now
        from django.utils import timezone

        from services.outbox import delivery

        # the sweeper, as beat would run it later: a message whose task was lost goes now
        swept = delivery.sweep(timezone.now() + 2 * delivery.SWEEP_AFTER)
        time.sleep(3)
        log(f"sweeper handed {swept['central']} message(s) to the worker again")
        pending = CentralMessage.objects.exclude(state="sent").count()
        mails = self.mails_sent()
        sent = Counter(subject for subject, _id in mails)
        missing = [s for s in wanted if s not in sent]
        twice = {s: n for s, n in sent.items() if s in set(wanted) and n != 1}
        log(f"{len(sent)} distinct notifications in the folder, {sum(sent.values())} mails")
        problems = [f"{pending} outbox rows not marked sent"] if pending else []
        if missing:
            problems.append(f"{len(missing)} notifications never sent, e.g. {missing[:3]}")
        # A second copy only of a message in flight at the kill (one worker process: at most
        # one), exactly twice, and with the first copy's Message-ID (clients show it once).
        unexplained = {s: n for s, n in twice.items() if s not in in_flight or n != 2}
        if unexplained or len(twice) > 1:
            problems.append(f"{len(twice)} notifications sent more than once: {twice}")
        for subject in twice:
            ids = {mid for subj, mid in mails if subj == subject}
            if len(ids) != 1 or None in ids:
                problems.append(f"the copies of {subject!r} differ in Message-ID: {ids}")
        if twice and not problems:
            log(f"sent twice, in flight at the kill, one Message-ID: {sorted(twice)}")
        return problems

    # --- 3. lost tasks ------------------------------------------------------------------------

    def lost_tasks(self, count: int = 20) -> list[str]:
        """A caller killed between its commit and the broker: the rows are there, no task is;
        the sweeper (as beat runs it) hands them to the worker, each is sent once."""
        from django.utils import timezone

        from services.outbox import delivery
        from services.outbox.models import CentralMessage

        batch = f"lost {uuid.uuid4().hex[:8]}"
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.security.crash.lost", str(count), batch],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode != -signal.SIGKILL:
            return [f"the caller was not killed at its commit: {done.returncode} {done.stderr}"]
        rows = CentralMessage.objects.filter(subject__startswith=batch)
        log(f"caller killed at its commit: {rows.count()} of {count} rows committed")
        if rows.count() != count:
            return [f"{rows.count()} of {count} rows committed"]
        time.sleep(3)
        early = [s for s in self.subjects_sent() if s.startswith(batch)]
        if early:
            return [f"{len(early)} mails went out with no task sent: the kill came too late"]
        swept = delivery.sweep(timezone.now() + 2 * delivery.SWEEP_AFTER)
        log(f"sweeper handed {swept['central']} message(s) to the worker")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if rows.exclude(state="sent").count() == 0:
                break
            time.sleep(0.5)
        time.sleep(2)
        sent = {s: n for s, n in self.subjects_sent().items() if s.startswith(batch)}
        problems = []
        if rows.exclude(state="sent").exists():
            problems.append(f"{rows.exclude(state='sent').count()} rows not sent")
        if len(sent) != count or set(sent.values()) != {1}:
            problems.append(f"{len(sent)} of {count} mails arrived, copies {sorted(sent.values())}")
        return problems

    # --- the whole ----------------------------------------------------------------------------

    def main(self) -> int:
        log(f"database {DB_NAME}, broker {self.broker}, queue {self.queue}, files {self.folder}")
        period_id = self.prepare_database()
        log(f"seeded: month {period_id} with {self.pools} pools")
        self.setup_django()
        problems: list[str] = []
        try:
            self.start_worker()
            problems += [f"split: {p}" for p in self.split(period_id)]
            problems += [f"notifications: {p}" for p in self.notifications()]
            problems += [f"lost tasks: {p}" for p in self.lost_tasks()]
        finally:
            from tests.platform.worker_support import delete_queue

            self.stop_worker()
            with contextlib.suppress(Exception):
                delete_queue(self.broker, self.queue)
            from django.db import connections

            connections.close_all()
            with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        if problems:
            for problem in problems:
                log(f"FAILED {problem}")
            log(f"worker logs in {self.folder}")
            return 1
        log(
            "OK: the split is identical after the crash, every notification sent, once each "
            "but for the one in flight at the kill, if any; mails of a caller killed at its "
            "commit sent once by the sweeper"
        )
        return 0


def cli() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.security.crash")
    parser.add_argument("--pools", type=int, default=2000, help="pools in the month")
    parser.add_argument("--mails", type=int, default=300, help="notifications in the batch")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    # the test settings find or start the embedded PostgreSQL and export DATABASE_URL
    from config.embedded_db import ensure_database_url

    ensure_database_url(stop_at_exit=False)  # a server found running is left running
    return Scenario(args.pools, args.mails).main()


if __name__ == "__main__":
    sys.exit(cli())
