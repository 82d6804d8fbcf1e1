"""Error codes of the cost split."""

from enum import StrEnum


class CostErrorCode(StrEnum):
    INVALID = "invalid"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    NEGATIVE = "negative"
    INVALID_STATE = "invalid_state"
    PERIOD_CLOSED = "period_closed"
    NO_OPEN_PERIOD = "no_open_period"
    UNKNOWN_AGENCY = "unknown_agency"
    WEIGHTS_ZERO = "weights_zero"
    NO_DRIVER = "no_driver"
    NO_KEY_VERSION = "no_key_version"
    OPEN_DISPUTES = "open_disputes"
    NOT_RUN = "not_run"
    PERMISSION_DENIED = "permission_denied"
