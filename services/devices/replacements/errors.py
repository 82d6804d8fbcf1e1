"""Error codes of the device-lifecycle domain.

Accepting a proposal places an order, so the ordering domain's codes (budget, prerequisites,
exclusions, ...) come back unchanged: this enum holds all of them, in ordering's order, plus
lifecycle's own (written out so that the types know every member; checked below)."""

from enum import StrEnum

from services.ordering.errors import OrderErrorCode


class LifecycleErrorCode(StrEnum):
    # ordering's (services/ordering/errors.py)
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
    POOL_EXHAUSTED = "pool_exhausted"
    SEATS_STILL_ASSIGNED = "seats_still_assigned"
    # lifecycle's own
    NO_REPLACEMENT_OFFERING = "no_replacement_offering"


_ORDERING = [(code.name, code.value) for code in OrderErrorCode]
if [(code.name, code.value) for code in LifecycleErrorCode][: len(_ORDERING)] != _ORDERING:
    raise ImportError("LifecycleErrorCode must begin with every OrderErrorCode, in order")
