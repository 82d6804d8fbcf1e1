"""Error codes of the outbox domain."""

from enum import StrEnum


class OutboxErrorCode(StrEnum):
    INVALID = "invalid"
    PERMISSION_DENIED = "permission_denied"
