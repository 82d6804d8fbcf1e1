"""The tests' one clock: every process that runs with the test settings reads "now" from here.

`SAMNAV_TEST_NOW` names the instant a test run starts at: ISO 8601 with an offset
(`2028-02-29T12:00+01:00`), or without one for Stockholm time (`2027-03-28T02:30`), or `real`
for the machine's own clock. Unset, the run starts at `DEFAULT_NOW`, so the suite gives the same
outcome on every day of the year; `make test-dates` runs the date-sensitive tests at the
instants of `tests/dates.py` instead (docs/decisions/2026-12-06-one-clock.md).

The clock ticks from that instant (time-machine, `tick=True`): timeouts, waits and durations
behave as they do in production. The first process to start it (pytest) writes the instant and
the machine time it started at into `SAMNAV_TEST_CLOCK`, and every process started from it
(a Celery worker, a served test server, a `manage.py` subprocess) inherits the variable and
reads the same clock: `instant + (machine time - machine time at the start)`.

time-machine patches the C-level time functions (`time.time`, `datetime.now`, `date.today`,
...), so Django's `timezone.now()` and every library follow; `time.monotonic` and
`time.perf_counter` are left alone. PostgreSQL's own `now()` is not moved: the product passes
"now" to SQL as a parameter instead of asking the server.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# An ordinary working Wednesday: no holiday near, no month or year end, no clock change.
DEFAULT_NOW = "2026-11-18T10:00:00+01:00"
_ENV_NOW = "SAMNAV_TEST_NOW"
_ENV_CLOCK = "SAMNAV_TEST_CLOCK"

_coordinates = None  # this process's time-machine travel, once started
_instant: dt.datetime | None = None  # the instant the run (or the current test) starts at


def parse_instant(text: str) -> dt.datetime:
    """An aware datetime from ISO 8601; a time without an offset is Stockholm time."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{_ENV_NOW}={text!r} is not an ISO 8601 instant: {exc}") from None
    return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)


def start() -> None:
    """Start this process's clock (once); with `real`, leave the machine's clock alone."""
    global _coordinates, _instant
    if _coordinates is not None:
        return
    spec = os.environ.get(_ENV_CLOCK)
    if spec is None:
        wanted = os.environ.get(_ENV_NOW, "").strip() or DEFAULT_NOW
        if wanted == "real":
            os.environ[_ENV_CLOCK] = "real"
            return
        spec = f"{parse_instant(wanted).isoformat()}@{time.time()!r}"
        os.environ[_ENV_CLOCK] = spec
    if spec == "real":
        return
    instant_text, _, anchor_text = spec.rpartition("@")
    _instant = parse_instant(instant_text)
    now = _instant + dt.timedelta(seconds=time.time() - float(anchor_text))

    import time_machine  # a test dependency: only the test settings call start()

    _coordinates = time_machine.travel(now, tick=True).start()


def rewind(instant: dt.datetime | str | None = None) -> None:
    """Move this process's clock back to the run's instant (or to `instant`, which becomes the
    run's), ticking from there; processes started after this read the same clock. The tests
    call it before each test, so that every test starts at the same moment."""
    global _instant
    if _coordinates is None:
        if instant is not None:
            raise RuntimeError(f"the clock is real ({_ENV_NOW}=real): cannot move it")
        return
    if instant is not None:
        _instant = parse_instant(instant) if isinstance(instant, str) else instant
    assert _instant is not None  # start() set it with the clock
    from time_machine import escape_hatch

    _coordinates.move_to(_instant)
    os.environ[_ENV_CLOCK] = f"{_instant.isoformat()}@{escape_hatch.time.time()!r}"
