"""Error codes of the devices domain."""

from enum import StrEnum


class DeviceErrorCode(StrEnum):
    INVALID = "invalid"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    PERMISSION_DENIED = "permission_denied"
    CUSTODIAN_MISMATCH = "custodian_mismatch"
    INVALID_STATE = "invalid_state"
