"""Error codes of the device-lifecycle domain.

Accepting a proposal places an order, so the ordering domain's codes (budget, prerequisites,
exclusions, ...) come back unchanged: this enum holds all of them plus lifecycle's own."""

from enum import StrEnum

from services.ordering.errors import OrderErrorCode

LifecycleErrorCode = StrEnum(
    "LifecycleErrorCode",
    {
        **{code.name: code.value for code in OrderErrorCode},
        "NO_REPLACEMENT_OFFERING": "no_replacement_offering",
    },
)
LifecycleErrorCode.__module__ = __name__
