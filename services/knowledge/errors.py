"""Error codes of the knowledge domain, exposed as a GraphQL enum."""

from enum import StrEnum


class KnowledgeErrorCode(StrEnum):
    INVALID = "invalid"
    OUT_OF_RANGE = "out_of_range"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
