"""Error codes of field visits and dispatch."""

from enum import StrEnum


class VisitErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    INVALID_STATE = "invalid_state"
    OUT_OF_RANGE = "out_of_range"
    DATE_IN_PAST = "date_in_past"
    TOO_FAR_AHEAD = "too_far_ahead"
    TOO_MANY_WINDOWS = "too_many_windows"
    END_BEFORE_START = "end_before_start"
    UNKNOWN_COUNTY = "unknown_county"
    NOT_COVERED = "not_covered"
    OUTSIDE_HOURS = "outside_hours"
    TECHNICIAN_BUSY = "technician_busy"
    OUTSIDE_ARRIVAL_WINDOW = "outside_arrival_window"
