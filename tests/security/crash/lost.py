"""The caller's side of a lost task, for `python -m tests.security.crash` (step 3): queue a
batch of mails in one transaction and die by SIGKILL the moment it commits, before the
delivery tasks reach the broker (on-commit callbacks run in the order they were registered,
and the kill is registered first). The rows are committed; no task was ever sent.

    python -m tests.security.crash.lost COUNT BATCH
"""

from __future__ import annotations

import os
import signal
import sys


def main(count: int, batch: str) -> None:
    import django

    django.setup()
    from django.db import transaction

    from services.outbox.models import Channel
    from services.outbox.queue import put

    with transaction.atomic():
        transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        for i in range(count):
            put(Channel.EMAIL, ["crash@samnav.invalid"], "Lost task.", subject=f"{batch} #{i:04d}")
    sys.exit("still alive after the commit: the kill did not happen")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
