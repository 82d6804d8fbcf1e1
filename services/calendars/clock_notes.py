"""The explanation of an SLA/OLA clock (`services.calendars.clock`): one `Note` per event or
stretch of its history, and one for the outcome, each rendered in the active language when
it is read (`Note.text`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Note:
    """One line of the explanation; `text` renders it in the active language."""

    code: str
    at: dt.datetime | None  # None: an outcome without a stop or breach moment
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return _render(self)


def outcome_notes(
    state: str,
    elapsed: int,
    target: int | None,
    breach: int | None,
    stopped: int | None,
    moment: Callable[[int], dt.datetime],
) -> list[Note]:
    """The explanation's last line: the clock's state, with the minutes used and the breach or
    stop moment (epoch minutes, turned into datetimes by `moment`)."""
    params: dict[str, Any] = {"elapsed": elapsed, "target": target}
    if breach is not None:
        params["breach"] = moment(breach)
    if stopped is not None:
        params["stopped"] = moment(stopped)
    at = params.get("stopped") or params.get("breach")
    return [Note(f"outcome_{state}", at, params)]


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _render(note: Note) -> str:
    p: dict[str, Any] = {
        k: _when(v) if isinstance(v, dt.datetime) else v for k, v in note.params.items()
    }
    p["at"] = _when(note.at)
    code = note.code
    if code == "started":
        if p["target"] is None:
            return _("Started at %(at)s, without a target.") % p
        return (
            ngettext(
                "Started at %(at)s with a target of %(target)d business minute.",
                "Started at %(at)s with a target of %(target)d business minutes.",
                p["target"],
            )
            % p
        )
    if code == "counted":
        return (
            ngettext(
                "From %(at)s to %(end)s: %(minutes)d business minute counted.",
                "From %(at)s to %(end)s: %(minutes)d business minutes counted.",
                p["minutes"],
            )
            % p
        )
    if code == "paused":
        if p["reason"]:
            return (
                ngettext(
                    "From %(at)s to %(end)s: paused (%(reason)s); %(minutes)d business "
                    "minute not counted.",
                    "From %(at)s to %(end)s: paused (%(reason)s); %(minutes)d business "
                    "minutes not counted.",
                    p["minutes"],
                )
                % p
            )
        return (
            ngettext(
                "From %(at)s to %(end)s: paused; %(minutes)d business minute not counted.",
                "From %(at)s to %(end)s: paused; %(minutes)d business minutes not counted.",
                p["minutes"],
            )
            % p
        )
    if code == "stopped":
        return (
            ngettext(
                "Stopped at %(at)s after %(elapsed)d business minute.",
                "Stopped at %(at)s after %(elapsed)d business minutes.",
                p["elapsed"],
            )
            % p
        )
    if code == "reopened":
        return _("Reopened at %(at)s: the clock counts on from the minutes already counted.") % p
    if code == "target":
        if p["new"] is None:
            return _("At %(at)s the target was removed.") % p
        if p["old"] is None:
            return _("At %(at)s the target was set to %(new)d business minutes.") % p
        return (
            _(
                "At %(at)s the target changed from %(old)d to %(new)d business minutes; the "
                "%(elapsed)d minutes already counted were kept."
            )
            % p
        )
    if code == "warned":
        return _("At %(at)s a warning was sent.") % p
    if code == "breached":
        return _("At %(at)s a breach was reported.") % p
    if code == "outcome_not_started":
        return _("The clock has not started.")
    if code == "outcome_running":
        if p["target"] is None:
            return _("Running: %(elapsed)d business minutes counted.") % p
        return _("Running: %(elapsed)d of %(target)d business minutes used; due at %(breach)s.") % p
    if code == "outcome_paused":
        if p["target"] is None:
            return _("Paused: %(elapsed)d business minutes counted.") % p
        return (
            _("Paused: %(elapsed)d of %(target)d business minutes used; no due time while paused.")
            % p
        )
    if code == "outcome_stopped":
        return _("Stopped: %(elapsed)d business minutes counted.") % p
    if code == "outcome_met":
        return _("Met: %(elapsed)d of %(target)d business minutes used.") % p
    if code == "outcome_breached":
        return (
            _(
                "Breached: the target of %(target)d business minutes was reached at "
                "%(breach)s; %(elapsed)d business minutes counted."
            )
            % p
        )
    raise ValueError(f"unknown note: {code}")
