"""Error codes of the ordering domain, exposed as a GraphQL enum."""

from enum import StrEnum


class OrderErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    NOT_ORDERABLE = "not_orderable"
    QUANTITY_OUT_OF_RANGE = "quantity_out_of_range"
    LIMIT_PER_AGENCY = "limit_per_agency"
    UNCHANGED = "unchanged"
    OUT_OF_RANGE = "out_of_range"
    MISSING_PREREQUISITE = "missing_prerequisite"
    EXCLUDED = "excluded"
    BUDGET_EXCEEDED = "budget_exceeded"
    INVALID_STATE = "invalid_state"
    SAME_APPROVER = "same_approver"
    PERMISSION_DENIED = "permission_denied"
    # raised by the licence pools an order draws from (services/licences/pool_accounting.py)
    POOL_EXHAUSTED = "pool_exhausted"
    SEATS_STILL_ASSIGNED = "seats_still_assigned"
