"""GraphQL of licence reconciliation: `importLicenceUsage`, and the compliance types.

`PoolCompliance` / `AgencyCompliance` are built by `pool_compliance_of(pool)` and
`agency_compliance_of(pool, agency)` from services/licences/compliance.py. Both read the
annotations of `with_pool_compliance(queryset)` / `with_agency_compliance(queryset, agency)`
when the pools were loaded with them (no query per pool in a list), else query once.
"""

from __future__ import annotations

import graphene
from graphql_relay import from_global_id

from api.core.mutations import SamnavMutation
from api.core.permissions import require_central_for_mutation
from api.tenants.types import AgencyNode
from services.licences import compliance, reconciliation
from services.licences.errors import LicenceErrorCode

with_pool_compliance = compliance.with_pool_position
with_agency_compliance = compliance.with_agency_position

_USAGE_NOTE = "As of the latest usage import; null before the first import."


class PoolCompliance(graphene.ObjectType):
    """A pool's position: seats owned, held, assigned and used, over or under."""

    owned = graphene.Int(required=True, description="Seats in the agreement.")
    capacity = graphene.Int(required=True, description="Seats owned plus the allowed true-up.")
    quotas = graphene.Int(required=True, description="Seats given to agencies as quotas.")
    reserve = graphene.Int(required=True, description="Owned seats not given as quotas.")
    held = graphene.Int(required=True, description="Seats agencies hold (have ordered).")
    assigned = graphene.Int(required=True, description="Held seats assigned to people.")
    used = graphene.Int(description=f"Assigned seats used lately. {_USAGE_NOTE}")
    assigned_unused = graphene.Int(
        description=f"Assigned seats unused for `unusedDays` days. {_USAGE_NOTE}"
    )
    unused_days = graphene.Int(description="The N of `assignedUnused`.")
    over_or_under = graphene.Int(
        required=True, description="Seats owned minus seats held: negative when over."
    )
    true_up_in_use = graphene.Int(required=True, description="Seats held beyond those owned.")
    usage_imported_at = graphene.DateTime(description="When the latest usage report came in.")


class AgencyCompliance(graphene.ObjectType):
    """One agency's position in a pool (its own counts only)."""

    quota = graphene.Int(required=True)
    held = graphene.Int(required=True)
    assigned = graphene.Int(required=True)
    used = graphene.Int(description=f"Assigned seats used lately. {_USAGE_NOTE}")
    assigned_unused = graphene.Int(
        description=f"Assigned seats unused for `unusedDays` days. {_USAGE_NOTE}"
    )
    unused_days = graphene.Int()
    over_quota = graphene.Int(required=True, description="Seats held beyond the quota.")
    under_quota = graphene.Int(required=True, description="Quota not held yet.")
    usage_imported_at = graphene.DateTime()


def pool_compliance_of(pool) -> PoolCompliance:
    p = compliance.pool_position(pool)
    return PoolCompliance(
        owned=p.owned,
        capacity=p.capacity,
        quotas=p.quotas,
        reserve=p.reserve,
        held=p.held,
        assigned=p.assigned,
        used=p.used,
        assigned_unused=p.assigned_unused,
        unused_days=p.unused_days,
        over_or_under=p.over_or_under,
        true_up_in_use=p.true_up_in_use,
        usage_imported_at=p.usage_imported_at,
    )


def agency_compliance_of(pool, agency) -> AgencyCompliance:
    p = compliance.agency_position(pool, agency)
    return AgencyCompliance(
        quota=p.quota,
        held=p.held,
        assigned=p.assigned,
        used=p.used,
        assigned_unused=p.assigned_unused,
        unused_days=p.unused_days,
        over_quota=p.over_quota,
        under_quota=p.under_quota,
        usage_imported_at=p.usage_imported_at,
    )


class LicenceUsageOfAgency(graphene.ObjectType):
    """What a usage import found in one agency: counts, never its people."""

    agency = graphene.Field(AgencyNode, required=True)
    matched = graphene.Int(required=True, description="Report lines matching its seats.")
    used = graphene.Int(required=True, description="Its seats used within `unusedDays` days.")
    assigned_unused = graphene.Int(
        required=True, description="Its seats unused for `unusedDays` days: to reclaim."
    )
    over_quota = graphene.Int(required=True, description="Seats it holds beyond its quota.")


def _pool_pk(global_id: str) -> int | None:
    """The pk of `LicencePool:<pk>`, or None (reported with the file's errors, if any)."""
    try:
        kind, pk = from_global_id(global_id)
        return int(pk) if kind == "LicencePool" else None
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


class ImportLicenceUsage(SamnavMutation):
    """Apply a vendor's usage report (CSV with the header `email,last_used`, dates YYYY-MM-DD)
    to a pool. Central catalogue managers and platform admins, on the central host. A bad file
    is refused whole: each line at fault is an error with field `csv.line.<n>`."""

    class Arguments:
        pool = graphene.ID(required=True)
        csv = graphene.String(required=True)

    error_codes = LicenceErrorCode
    error_type_name = "LicenceError"

    rows = graphene.Int(description="Data lines in the report.")
    matched = graphene.Int(description="Report lines matching an active seat somewhere.")
    used_unassigned = graphene.Int(description="Report lines matching no active seat.")
    used_unassigned_emails = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="The report's own addresses that match no active seat (not stored).",
    )
    unused_days = graphene.Int(description="The N of `perAgency.assignedUnused`.")
    per_agency = graphene.List(graphene.NonNull(LicenceUsageOfAgency), required=True)

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, *reconciliation.CATALOGUE_KEEPERS)

    @classmethod
    def perform(cls, info, pool, csv):
        result = reconciliation.import_usage(info.context.user, _pool_pk(pool), csv)
        return {
            "rows": result.rows,
            "matched": result.matched,
            "used_unassigned": result.used_unassigned,
            "used_unassigned_emails": result.used_unassigned_emails,
            "unused_days": result.unused_days,
            "per_agency": [
                LicenceUsageOfAgency(
                    agency=a.agency,
                    matched=a.matched,
                    used=a.used,
                    assigned_unused=a.assigned_unused,
                    over_quota=a.over_quota,
                )
                for a in result.per_agency
            ],
        }

    # On errors the lists are empty rather than null.
    def resolve_used_unassigned_emails(self, info):
        return self.used_unassigned_emails or []

    def resolve_per_agency(self, info):
        return self.per_agency or []


class LicenceUsageMutations(graphene.ObjectType):
    import_licence_usage = ImportLicenceUsage.Field()
