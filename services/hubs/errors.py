"""Error codes of the hubs domain: slots, stock and the agency's bookings (one enum for both
halves; services/hubs/bookings/ uses it too)."""

from enum import StrEnum


class HubErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NOT_OFFERED = "not_offered"
    CLOSED = "closed"
    OUTSIDE_HOURS = "outside_hours"
    OFF_GRID = "off_grid"
    IN_PAST = "in_past"
    BEYOND_HORIZON = "beyond_horizon"
    OVER_CAPACITY = "over_capacity"
    # bookings
    ALREADY_BOOKED = "already_booked"
    INVALID_STATE = "invalid_state"
    # loaners
    OUT_OF_RANGE = "out_of_range"
    DUPLICATE = "duplicate"
