"""SLA/OLA clocks replayed from their events: counted and paused stretches, target changes that
keep the minutes counted, warning and breach moments, the explanation, and a property test
against a brute-force count of the minutes that were both open and running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.calendars.clock import ClockEvent, ClockState, SegmentKind, replay
from services.calendars.hours import CalendarSpec
from tests.calendars import OFFICE_WEEK, Oracle, at, calendars_and_start, epoch_minute, moment_of

OFFICE = CalendarSpec(weekly=OFFICE_WEEK, holiday_country="SE")


def E(kind, when, minutes=None, reason=""):  # noqa: N802 -- reads like a record
    return ClockEvent(kind, when, minutes, reason)


def test_a_clock_started_friday_afternoon_is_due_monday_morning():
    # given a resolution clock of 60 business minutes started Friday 16:30
    events = [E("started", at(2026, 9, 11, 16, 30))]
    # when it is looked at on Saturday
    status = replay(OFFICE, 60, events, at(2026, 9, 12, 10, 0))
    # then half the time is used, it is due Monday 08:30, warned at 75 % on Monday 08:15
    assert status.state == ClockState.RUNNING
    assert (status.elapsed_minutes, status.remaining_minutes, status.percent_used) == (30, 30, 50)
    assert status.due_at == status.breach_at == at(2026, 9, 14, 8, 30)
    assert status.warning_at == at(2026, 9, 14, 8, 15)
    assert (status.warned, status.breached) == (False, False)
    assert status.started_at == at(2026, 9, 11, 16, 30)


def test_a_calendar_open_a_minute_a_week_has_no_due_time_rather_than_an_error():
    # given a calendar open one minute each Monday (found by the property test below) and a
    # running clock of 3,000 minutes: more than fifty years of Mondays
    rare = CalendarSpec(weekly=((0, 1), None, None, None, None, None, None), holiday_country="SE")
    events = [E("started", at(2026, 9, 11, 16, 30))]
    # when it is looked at
    status = replay(rare, 3000, events, at(2026, 9, 12, 10, 0))
    # then it runs, with no due time to show, instead of failing the ticket's page
    assert status.state == ClockState.RUNNING
    assert (status.due_at, status.breach_at, status.breached) == (None, None, False)


def test_a_pause_is_not_counted_and_has_no_due_time():
    # given a clock paused while waiting on the requester
    events = [
        E("started", at(2026, 9, 14, 9, 0)),
        E("paused", at(2026, 9, 14, 10, 0), reason="waiting on requester"),
    ]
    # when it is looked at the next day
    status = replay(OFFICE, 240, events, at(2026, 9, 15, 12, 0))
    # then only the hour before the pause counts, and nothing is due while paused
    assert status.state == ClockState.PAUSED
    assert status.elapsed_minutes == 60
    assert (status.due_at, status.breach_at, status.warning_at) == (None, None, None)
    assert status.pause_reason == "waiting on requester"
    assert [(s.kind, s.business_minutes, s.is_open) for s in status.segments] == [
        (SegmentKind.COUNTED, 60, False),
        (SegmentKind.PAUSED, 7 * 60 + 4 * 60, True),
    ]
    # and once resumed, the rest is due three hours later in business time
    resumed = [*events, E("resumed", at(2026, 9, 15, 13, 0))]
    status = replay(OFFICE, 240, resumed, at(2026, 9, 15, 13, 0))
    assert status.state == ClockState.RUNNING
    assert status.due_at == at(2026, 9, 15, 16, 0)


def test_changing_the_target_keeps_the_minutes_counted():
    # given a clock of 240 minutes started Monday 08:00, two hours counted by 10:00
    events = [E("started", at(2026, 9, 14, 8, 0))]
    # when the priority changes at 10:00 to a target of 480
    longer = [*events, E("target_changed", at(2026, 9, 14, 10, 0), minutes=480)]
    status = replay(OFFICE, 240, longer, at(2026, 9, 14, 11, 0))
    # then the two hours stay counted and only the rest is recomputed: due at 16:00
    assert (status.target_minutes, status.elapsed_minutes) == (480, 180)
    assert status.due_at == at(2026, 9, 14, 16, 0)
    # and when it drops to 60 instead, the clock is breached from the moment of the change
    shorter = [*events, E("target_changed", at(2026, 9, 14, 10, 0), minutes=60)]
    status = replay(OFFICE, 240, shorter, at(2026, 9, 14, 11, 0))
    assert status.state == ClockState.BREACHED
    assert status.breach_at == status.warning_at == at(2026, 9, 14, 10, 0)
    assert (status.elapsed_minutes, status.remaining_minutes, status.percent_used) == (180, 0, 300)


def test_stopping_at_the_due_moment_meets_the_target_and_later_breaches_it():
    started = [E("started", at(2026, 9, 11, 16, 0))]  # Friday; 60 minutes due at 17:00
    # stopped exactly at the due moment: met
    met = replay(OFFICE, 60, [*started, E("stopped", at(2026, 9, 11, 17, 0))], at(2026, 9, 14))
    assert (met.state, met.breached, met.elapsed_minutes, met.due_at) == (
        ClockState.MET,
        False,
        60,
        None,
    )
    assert met.stopped_at == at(2026, 9, 11, 17, 0)
    # stopped on Saturday, after the due moment (no business minute more was used): breached
    late = replay(OFFICE, 60, [*started, E("stopped", at(2026, 9, 12, 10, 0))], at(2026, 9, 14))
    assert (late.state, late.breached, late.elapsed_minutes) == (ClockState.BREACHED, True, 60)
    assert late.breach_at == at(2026, 9, 11, 17, 0)
    # and still running on Saturday: breached, due in the past
    running = replay(OFFICE, 60, started, at(2026, 9, 12, 10, 0))
    assert (running.state, running.due_at) == (ClockState.BREACHED, at(2026, 9, 11, 17, 0))
    # while one minute before the due moment it is only warned
    before = replay(OFFICE, 60, started, at(2026, 9, 11, 16, 59))
    assert (before.state, before.warned, before.breached) == (ClockState.RUNNING, True, False)


def test_a_reopened_clock_counts_on():
    # given a clock stopped after an hour and reopened the next morning
    events = [
        E("started", at(2026, 9, 14, 8, 0)),
        E("stopped", at(2026, 9, 14, 9, 0)),
        E("started", at(2026, 9, 15, 8, 0)),
    ]
    # then it counts on from 60 minutes
    status = replay(OFFICE, 120, events, at(2026, 9, 15, 8, 30))
    assert (status.state, status.elapsed_minutes) == (ClockState.RUNNING, 90)
    assert status.due_at == at(2026, 9, 15, 9, 0)
    assert [s.kind for s in status.segments] == [
        SegmentKind.COUNTED,
        SegmentKind.STOPPED,
        SegmentKind.COUNTED,
    ]


def test_states_before_the_start_and_without_a_target():
    # a clock with no events has not started
    status = replay(OFFICE, 60, [], at(2026, 9, 14, 9))
    assert (status.state, status.elapsed_minutes, status.due_at) == (
        ClockState.NOT_STARTED,
        0,
        None,
    )
    # events after `now` are not yet applied
    later = [E("started", at(2026, 9, 14, 10))]
    assert replay(OFFICE, 60, later, at(2026, 9, 14, 9)).state == ClockState.NOT_STARTED
    # a clock without a target measures, and stops as plainly stopped
    events = [E("started", at(2026, 9, 14, 9)), E("stopped", at(2026, 9, 14, 9, 45))]
    status = replay(OFFICE, None, events, at(2026, 9, 14, 12))
    assert (status.state, status.elapsed_minutes, status.percent_used) == (
        ClockState.STOPPED,
        45,
        None,
    )


def test_bad_events_are_refused():
    with pytest.raises(ValueError, match="ordered"):
        replay(
            OFFICE,
            60,
            [E("started", at(2026, 9, 14, 10)), E("paused", at(2026, 9, 14, 9))],
            at(2026, 9, 14, 12),
        )
    with pytest.raises(ValueError):
        replay(OFFICE, 60, [E("exploded", at(2026, 9, 14, 10))], at(2026, 9, 14, 12))
    with pytest.raises(ValueError, match="target"):
        replay(OFFICE, 0, [], at(2026, 9, 14, 12))
    with pytest.raises(ValueError, match="target"):
        events = [E("started", at(2026, 9, 14, 10)), E("target_changed", at(2026, 9, 14, 11), 0)]
        replay(OFFICE, 60, events, at(2026, 9, 14, 12))


def test_the_explanation_says_why_a_clock_is_breached():
    # given a clock that ran, waited on the requester, had its target cut, and was warned
    events = [
        E("started", at(2026, 9, 14, 9, 0)),
        E("paused", at(2026, 9, 14, 10, 0), reason="waiting on requester"),
        E("resumed", at(2026, 9, 15, 9, 0)),
        E("target_changed", at(2026, 9, 15, 10, 0), minutes=150),
        E("warned", at(2026, 9, 15, 10, 0)),
        E("stopped", at(2026, 9, 15, 12, 0)),
    ]
    status = replay(OFFICE, 240, events, at(2026, 9, 15, 13, 0))
    # when it is explained in English
    with translation.override("en"):
        lines = status.explanation()
    # then every stretch, change and the outcome is a line
    assert lines == [
        "Started at 2026-09-14 09:00 with a target of 240 business minutes.",
        "From 2026-09-14 09:00 to 2026-09-14 10:00: 60 business minutes counted.",
        "From 2026-09-14 10:00 to 2026-09-15 09:00: paused (waiting on requester); "
        "480 business minutes not counted.",
        "From 2026-09-15 09:00 to 2026-09-15 10:00: 60 business minutes counted.",
        "At 2026-09-15 10:00 the target changed from 240 to 150 business minutes; the 120 "
        "minutes already counted were kept.",
        "At 2026-09-15 10:00 a warning was sent.",
        "From 2026-09-15 10:00 to 2026-09-15 12:00: 120 business minutes counted.",
        "Stopped at 2026-09-15 12:00 after 240 business minutes.",
        "Breached: the target of 150 business minutes was reached at 2026-09-15 10:30; 240 "
        "business minutes counted.",
    ]
    assert status.breach_at == at(2026, 9, 15, 10, 30)


# --- the property ----------------------------------------------------------------------------

KINDS = ["paused", "resumed", "started", "stopped", "target_changed", "warned"]


@st.composite
def clocks(draw):
    """A random calendar, a start, up to twelve events after it, and a `now`."""
    _anchor, spec, start = draw(calendars_and_start(span_days=40))
    events = [ClockEvent("started", start)]
    moment = start
    for _ in range(draw(st.integers(0, 12))):
        moment += dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
        kind = draw(st.sampled_from(KINDS))
        minutes = draw(st.integers(1, 3000)) if kind == "target_changed" else None
        events.append(ClockEvent(kind, moment, minutes, "waiting"))
    now = moment + dt.timedelta(minutes=draw(st.integers(0, 5 * 24 * 60)))
    if draw(st.booleans()):  # sometimes look at it in the middle of its history
        now = start + (now - start) * draw(st.floats(0, 1))
    target = draw(st.integers(1, 3000))
    return spec, target, events, now


def _running(events, now):
    """Brute force: whether each minute was counting, by the last event at or before it."""
    changes = []
    for event in events:
        if event.at > now:
            break
        if event.kind in ("started", "resumed"):
            changes.append((epoch_minute(event.at), True))
        elif event.kind in ("paused", "stopped"):
            changes.append((epoch_minute(event.at), False))

    def running(minute):
        state = False
        for at_minute, value in changes:
            if at_minute > minute:
                break
            state = value
        return state

    return running


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=clocks())
def test_a_replayed_clock_counts_the_minutes_open_and_running(case):
    # given a random calendar and a random history of starts, pauses, stops and target changes
    spec, target, events, now = case
    oracle = Oracle(spec)
    start = epoch_minute(events[0].at)
    now_minute = epoch_minute(now)
    running = _running(events, now)
    # when the clock is replayed up to now
    status = replay(spec, target, events, now)
    # then its elapsed minutes are the minutes that were open and running, counted one by one
    assert status.elapsed_minutes == oracle.count(start, now_minute, running)
    # and the stretches add up to it
    counted = [s for s in status.segments if s.kind == SegmentKind.COUNTED]
    assert sum(s.business_minutes for s in counted) == status.elapsed_minutes
    # and target changes never change what was counted
    plain = [e for e in events if e.kind != "target_changed"]
    assert replay(spec, target, plain, now).elapsed_minutes == status.elapsed_minutes
    # and the breach moment is the first at which the count reaches the target in effect,
    # not before that target was set (or the projection, when running)
    current, set_at = target, None
    for event in events:
        if event.at <= now and event.kind == "target_changed":
            current, set_at = event.minutes, epoch_minute(event.at)
    assert status.target_minutes == current
    last_state = running(now_minute)
    horizon = now_minute + (60 * 24 * 60 if last_state else 0)
    reached, count = None, 0
    for minute in range(start, horizon):
        if count >= current:
            break
        if (running(minute) if minute < now_minute else last_state) and oracle.is_open(minute):
            count += 1
            if count == current:
                reached = minute + 1
    if reached is not None and set_at is not None:
        reached = max(reached, set_at)
    expected = None if reached is None else moment_of(reached)
    if status.breach_at is None or expected is not None:
        assert status.breach_at == expected
    else:  # running, but further out than the brute-force horizon
        assert last_state
        assert epoch_minute(status.breach_at) >= horizon
    # and the state follows from it
    stopped_at = status.stopped_at
    breached = (
        status.breach_at is not None
        and status.breach_at <= now
        and not (stopped_at is not None and stopped_at <= status.breach_at)
    )
    assert status.breached == breached
    assert (status.state == ClockState.BREACHED) == breached
    assert status.remaining_minutes == max(current - status.elapsed_minutes, 0)
