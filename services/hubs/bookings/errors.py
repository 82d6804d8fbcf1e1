"""Error codes of hub bookings (the slot codes are those of `services.hubs.errors`)."""

from enum import StrEnum


class BookingErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    NOT_OFFERED = "not_offered"
    CLOSED = "closed"
    OUTSIDE_HOURS = "outside_hours"
    OFF_GRID = "off_grid"
    IN_PAST = "in_past"
    OVER_CAPACITY = "over_capacity"
    ALREADY_BOOKED = "already_booked"
    INVALID_STATE = "invalid_state"
