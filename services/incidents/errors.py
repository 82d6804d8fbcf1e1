"""Error codes of the major-incident domain."""

from enum import StrEnum


class IncidentErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    PERMISSION_DENIED = "permission_denied"
