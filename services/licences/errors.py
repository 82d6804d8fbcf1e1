"""Error codes of the licences domain."""

from enum import StrEnum


class LicenceErrorCode(StrEnum):
    INVALID = "invalid"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    POOL_EXHAUSTED = "pool_exhausted"
    NO_FREE_SEAT = "no_free_seat"
    SEATS_STILL_ASSIGNED = "seats_still_assigned"
    ALREADY_ASSIGNED = "already_assigned"
    QUOTA_OVER_TOTAL = "quota_over_total"
    BAD_FILE = "bad_file"
    PERMISSION_DENIED = "permission_denied"
