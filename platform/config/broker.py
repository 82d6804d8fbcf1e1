"""The message broker `make run` gives its worker and beat
(docs/decisions/2026-12-07-make-run-worker-beat.md).

CELERY_BROKER_URL wins when set. Otherwise the local Redis (its database 5, apart from the
tests' database 0), then the local RabbitMQ, and when neither answers Kombu's filesystem
transport in `.celery/broker/`, which needs no server: the web processes write task messages
there and the worker reads them.
"""

from __future__ import annotations

import socket
from pathlib import Path

LOCAL_REDIS = "redis://127.0.0.1:6379/5"
LOCAL_RATELIMIT_CACHE = "redis://127.0.0.1:6379/6"  # rate-limit counters (config/ratelimits.py)
LOCAL_AMQP = "amqp://guest:guest@127.0.0.1:5672//"
FILESYSTEM = "filesystem://"


def reachable(host: str, port: int, timeout: float = 0.3) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def local_broker(configured: str = "") -> tuple[str, str]:
    """The broker URL for `make run`, and how it was chosen (for the banner)."""
    if configured:
        return configured, "CELERY_BROKER_URL"
    if reachable("127.0.0.1", 6379):
        return LOCAL_REDIS, "the local Redis"
    if reachable("127.0.0.1", 5672):
        return LOCAL_AMQP, "the local RabbitMQ"
    return FILESYSTEM, "files in .celery/broker/ (no Redis or RabbitMQ answered)"


def local_ratelimit_cache(configured: str = "") -> tuple[str, str]:
    """Where `make run` keeps rate-limit counters, shared by its web workers: the configured
    RATELIMIT_CACHE_URL, else the local Redis, else each worker's memory ("")."""
    if configured:
        return configured, "RATELIMIT_CACHE_URL"
    if reachable("127.0.0.1", 6379):
        return LOCAL_RATELIMIT_CACHE, "the local Redis"
    return "", "each web worker's memory (no Redis answered)"


def filesystem_options(base_dir: Path) -> dict:
    """Kombu's filesystem transport: one folder both ways, processed messages not kept, and its
    exchange tables beside it (by default a `control/` folder in the working directory)."""
    folder, control = base_dir / ".celery" / "broker", base_dir / ".celery" / "control"
    for path in (folder, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(control),
        "store_processed": False,
    }
