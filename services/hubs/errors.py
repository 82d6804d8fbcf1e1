"""Error codes of the hubs domain (slots and stock). Bookings reuse the slot codes."""

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
    OVER_CAPACITY = "over_capacity"
