"""Error codes of dispatch's technicians (the visits' own are in visits/errors.py)."""

from enum import StrEnum


class DispatchErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    UNKNOWN_COUNTY = "unknown_county"
