"""Running test code on separate connections, for real concurrent transactions.

A test's own transaction is invisible to other connections, so concurrency tests commit
their setup through `in_thread` and clean up after themselves the same way.
"""

from __future__ import annotations

import threading

from django.db import connection


def run_together(n: int, fn, timeout: float = 60) -> list:
    """Run fn(i) in n threads released at once; return their results or exceptions."""
    barrier, results = threading.Barrier(n), [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if any(t.is_alive() for t in threads):
        raise TimeoutError(f"a concurrent worker did not finish within {timeout} s")
    return results


def in_thread(fn):
    """Run fn on its own connection (autocommit), so what it writes is committed."""
    [result] = run_together(1, lambda _i: fn())
    if isinstance(result, Exception):
        raise result
    return result


def clear_outboxes(*agencies) -> None:
    """Delete the mail and SMS that committed test work queued (notifications of the orders,
    visits and bookings it made), in the agencies' schemas and in public, so later tests do
    not find another test's messages. For a cleanup run through `in_thread`."""
    from services.crossindex.models import IndexEntry, IndexKind
    from services.outbox.models import CentralMessage

    with connection.cursor() as cur:
        for agency in agencies:
            # DELETE, not TRUNCATE: TRUNCATE would wait for the test transaction's read locks.
            cur.execute(f"DELETE FROM {agency.schema_name}.people_outboundmessage")  # noqa: S608
    IndexEntry.objects.filter(kind=IndexKind.OUTBOX, agency__in=agencies).delete()
    CentralMessage.objects.all().delete()
