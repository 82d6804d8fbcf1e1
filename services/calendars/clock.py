"""SLA/OLA clocks replayed from their events: pure, exact, in business minutes.

A clock is its recorded events (`ClockEvent`, or any object with `kind`, `at` and, where they
apply, `minutes` and `reason`), in the order they happened, plus the target it started with.
`replay(spec, target_minutes, events, now)` computes everything else, so a clock can be shown,
escalated and explained from its history alone:

- started: the clock begins to count (or counts again after a pause or a stop: a reopen).
- paused (reason): stops counting, e.g. while waiting on the requester; resumed: counts again.
- target_changed (minutes): a new target from that moment (agreement or priority changed);
  the minutes already counted are kept and only the rest is recomputed.
- stopped: the clock is done (first response given, ticket resolved).
- warned, breached: notifications recorded by the escalation task; they change nothing.

An event that does not apply (a pause while paused, a second start while running) is ignored.
Events after `now` are ignored. Events must be ordered by time (ties keep their order).

Breach: `breach_at` is the first moment the counted minutes reach the target in effect (or the
moment a target was lowered to or below what had already been counted). A clock is breached
once `now` is at or after that moment, unless it was stopped at or before it: resolving exactly
when the count reaches the target meets it. The warning works the same way at
`warning_percent` (75 %) of the target, rounded up to a whole minute.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from services.calendars.clock_notes import Note, outcome_notes
from services.calendars.hours import (
    BeyondHorizon,
    CalendarSpec,
    add_minutes,
    minutes_between,
    to_minute,
)

WARNING_PERCENT = 75


class ClockEventKind(enum.StrEnum):
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    TARGET_CHANGED = "target_changed"
    STOPPED = "stopped"
    WARNED = "warned"
    BREACHED = "breached"


class ClockState(enum.StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"  # stopped without a target
    MET = "met"  # stopped within its target
    BREACHED = "breached"


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    at: dt.datetime
    minutes: int | None = None  # target_changed: the new target
    reason: str = ""  # paused: why, shown in the explanation (e.g. "waiting on requester")


class SegmentKind(enum.StrEnum):
    COUNTED = "counted"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Segment:
    """A stretch of the clock's history between two events (or the last event and `now`)."""

    kind: SegmentKind
    start: dt.datetime
    end: dt.datetime
    business_minutes: int  # open minutes in [start, end): counted only when kind is COUNTED
    reason: str = ""
    is_open: bool = False  # still going on at `now`


@dataclass(frozen=True)
class ClockStatus:
    state: ClockState
    now: dt.datetime
    target_minutes: int | None
    elapsed_minutes: int
    remaining_minutes: int | None  # never negative
    percent_used: int | None  # floor(elapsed * 100 / target), may exceed 100
    started_at: dt.datetime | None
    stopped_at: dt.datetime | None  # the last stop, while stopped
    due_at: dt.datetime | None  # breach moment; None while paused before it, or stopped
    warning_at: dt.datetime | None  # past, or projected while running; None if unreachable
    breach_at: dt.datetime | None  # past, or projected while running; None if unreachable
    is_running: bool
    is_paused: bool
    is_stopped: bool
    warned: bool  # the warning threshold has been passed (not stopped before it)
    breached: bool
    pause_reason: str
    segments: tuple[Segment, ...]
    notes: tuple[Note, ...]

    def explanation(self) -> list[str]:
        """Human-readable lines: what was counted, paused and changed, and the outcome."""
        return [note.text for note in self.notes]


@dataclass
class _Run:
    start: int
    end: int | None  # None: still running
    before: int  # minutes counted before this run


def _ceil_percent(target: int, percent: int) -> int:
    return -(-target * percent // 100)


def replay(
    spec: CalendarSpec,
    target_minutes: int | None,
    events: Iterable,
    now: dt.datetime,
    *,
    warning_percent: int = WARNING_PERCENT,
) -> ClockStatus:
    """Replay a clock's events up to `now` (see the module doc). `target_minutes` is the
    target the clock starts with (None: measure only); target_changed events replace it."""
    _check_target(target_minutes)
    now_m = to_minute(now)
    moment = spec.moment
    mode = "idle"
    elapsed = 0
    target = target_minutes
    target_set = None  # minute the current target took effect (None: from the start)
    seg_start = 0
    reason = ""
    started = stopped = None
    runs: list[_Run] = []
    segments: list[Segment] = []
    notes: list[Note] = []
    last = None

    def close(at: int) -> None:
        nonlocal elapsed
        counted = minutes_between(spec, seg_start, at)
        kind = {
            "running": SegmentKind.COUNTED,
            "paused": SegmentKind.PAUSED,
            "stopped": SegmentKind.STOPPED,
        }[mode]
        segment = Segment(kind, moment(seg_start), moment(at), counted, reason, at == now_m)
        segments.append(segment)
        if mode == "running":
            runs[-1].end = at
            elapsed += counted
            notes.append(
                Note("counted", moment(seg_start), {"end": moment(at), "minutes": counted})
            )
        elif mode == "paused":
            notes.append(
                Note(
                    "paused",
                    moment(seg_start),
                    {"end": moment(at), "minutes": counted, "reason": reason},
                )
            )

    for event in events:
        if last is not None and event.at < last:
            raise ValueError("clock events must be ordered by time")
        last = event.at
        if event.at > now:
            break
        at = to_minute(event.at)
        kind = ClockEventKind(str(event.kind))
        if kind in (ClockEventKind.STARTED, ClockEventKind.RESUMED):
            if mode == "running":
                continue
            if mode == "idle":
                started = at
                notes.append(Note("started", moment(at), {"target": target}))
            else:
                close(at)
                if mode == "stopped":
                    notes.append(Note("reopened", moment(at)))
            mode, seg_start, reason = "running", at, ""
            runs.append(_Run(at, None, elapsed))
        elif kind == ClockEventKind.PAUSED:
            if mode != "running":
                continue
            close(at)
            mode, seg_start, reason = "paused", at, getattr(event, "reason", "") or ""
        elif kind == ClockEventKind.STOPPED:
            if mode not in ("running", "paused"):
                continue
            close(at)
            mode, seg_start, reason, stopped = "stopped", at, "", at
            notes.append(Note("stopped", moment(at), {"elapsed": elapsed}))
        elif kind == ClockEventKind.TARGET_CHANGED:
            new = event.minutes
            _check_target(new)
            if mode == "running":  # split the counted stretch at the change
                close(at)
                seg_start = at
                runs.append(_Run(at, None, elapsed))
            notes.append(
                Note("target", moment(at), {"old": target, "new": new, "elapsed": elapsed})
            )
            target, target_set = new, at
        elif kind == ClockEventKind.WARNED:
            notes.append(Note("warned", moment(at)))
        elif kind == ClockEventKind.BREACHED:
            notes.append(Note("breached", moment(at)))

    if mode in ("running", "paused"):
        close(now_m)
    if mode == "running":
        runs[-1].end = None  # still running: thresholds beyond `now` are projected
    running, paused, is_stopped = mode == "running", mode == "paused", mode == "stopped"

    def reach(minutes: int) -> int | None:
        """The minute the count reached (or, running, will reach) `minutes`."""
        if not spec.ever_open:
            return None
        for run in runs:
            if run.end is None:
                try:
                    return add_minutes(spec, run.start, minutes - run.before)
                except BeyondHorizon:  # a calendar open a few minutes a year: no breach ahead
                    return None
            if run.before + minutes_between(spec, run.start, run.end) >= minutes:
                return add_minutes(spec, run.start, max(minutes - run.before, 0))
        return None

    def threshold(minutes: int) -> int | None:
        if not runs:
            return None
        found = reach(minutes)
        if found is not None and target_set is not None and found < target_set:
            found = target_set
        return found

    def passed(at: int | None) -> bool:
        if at is None or at > now_m:
            return False
        return not (is_stopped and stopped is not None and stopped <= at)

    breach = warning = None
    if target is not None:
        breach = threshold(target)
        warning = threshold(_ceil_percent(target, warning_percent))
    breached, warned = passed(breach), passed(warning)

    if mode == "idle":
        state = ClockState.NOT_STARTED
    elif breached:
        state = ClockState.BREACHED
    elif is_stopped:
        state = ClockState.STOPPED if target is None else ClockState.MET
    else:
        state = ClockState.PAUSED if paused else ClockState.RUNNING

    due = None
    if breach is not None and not is_stopped and (running or breached):
        due = breach
    status_notes = outcome_notes(state, elapsed, target, breach, stopped, moment)
    return ClockStatus(
        state=state,
        now=moment(now_m),
        target_minutes=target,
        elapsed_minutes=elapsed,
        remaining_minutes=None if target is None else max(target - elapsed, 0),
        percent_used=None if target is None else elapsed * 100 // target,
        started_at=None if started is None else moment(started),
        stopped_at=moment(stopped) if is_stopped and stopped is not None else None,
        due_at=None if due is None else moment(due),
        warning_at=None if warning is None else moment(warning),
        breach_at=None if breach is None else moment(breach),
        is_running=running,
        is_paused=paused,
        is_stopped=is_stopped,
        warned=warned,
        breached=breached,
        pause_reason=reason if paused else "",
        segments=tuple(segments),
        notes=(*notes, *status_notes),
    )


def _check_target(minutes: object) -> None:
    if minutes is not None and (not isinstance(minutes, int) or minutes < 1):
        raise ValueError("a target is a whole number of business minutes, at least 1")
