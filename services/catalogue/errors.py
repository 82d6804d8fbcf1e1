"""Error codes of the catalogue domain, exposed as a GraphQL enum."""

from enum import StrEnum


class CatalogueErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    DUPLICATE = "duplicate"
    OUT_OF_RANGE = "out_of_range"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    CONFLICT = "conflict"
    PERMISSION_DENIED = "permission_denied"
