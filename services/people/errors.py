"""Error codes of the people register."""

from enum import StrEnum


class PeopleErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    PERMISSION_DENIED = "permission_denied"
    INVALID_STATE = "invalid_state"
