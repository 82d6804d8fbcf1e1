"""Error codes of the agencies domain, exposed as a GraphQL enum."""

from enum import StrEnum


class AgencyErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    RESERVED = "reserved"
    DUPLICATE = "duplicate"
    OUT_OF_RANGE = "out_of_range"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    PERMISSION_DENIED = "permission_denied"
