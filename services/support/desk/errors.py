"""Error codes of the service desk's tools."""

from enum import StrEnum


class DeskErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
