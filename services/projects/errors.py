"""Error codes of the joint-projects domain, exposed as a GraphQL enum."""

from enum import StrEnum


class ProjectErrorCode(StrEnum):
    INVALID = "invalid"
    REQUIRED = "required"
    DUPLICATE = "duplicate"
    OUT_OF_RANGE = "out_of_range"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    SHARES_NOT_100 = "shares_not_100"
    NO_POSITIVE_SHARE = "no_positive_share"
    NOT_MEMBER_AGENCY = "not_member_agency"
    PERMISSION_DENIED = "permission_denied"
