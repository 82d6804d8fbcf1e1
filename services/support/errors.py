"""Error codes of the support domain."""

from enum import StrEnum


class SupportErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    OUT_OF_RANGE = "out_of_range"
    INVALID_STATE = "invalid_state"
    REOPEN_EXPIRED = "reopen_expired"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE = "attachment_type"
    UNKNOWN_SENDER = "unknown_sender"
    AMBIGUOUS_SENDER = "ambiguous_sender"
    PERMISSION_DENIED = "permission_denied"
    NOT_BREACHED = "not_breached"
    NOT_OLA = "not_ola"
    DATE_IN_PAST = "date_in_past"
