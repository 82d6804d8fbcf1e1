"""The monthly cost split (shared): periods, cost pools, allocation keys and their versions,
driver snapshots per agency and period, allocation runs and their lines, statements and
disputes, and whole-period exports. Home: public (ids, amounts and reasons; no personal data).
One module per concept; every model is imported here, so Django finds them all (app `costs`).

See docs/decisions/2026-11-22-cost-split.md for the rules (largest remainder, tie order,
direct charge, corrections, closed periods).
"""

from services.costs.models.adjustments import Adjustment
from services.costs.models.disputes import Dispute, DisputeState
from services.costs.models.drivers import SPLIT_DRIVERS, DriverKind, DriverSnapshot
from services.costs.models.exports import CostExport
from services.costs.models.keys import AllocationKey, KeyVersion, KeyWeight, Method
from services.costs.models.periods import Period, PeriodState
from services.costs.models.pools import CostPool, PoolCategory
from services.costs.models.runs import AllocationLine, AllocationRun, RunState
from services.costs.models.statements import Statement, StatementState, statement_reference

__all__ = [
    "SPLIT_DRIVERS",
    "Adjustment",
    "AllocationKey",
    "AllocationLine",
    "AllocationRun",
    "CostExport",
    "CostPool",
    "Dispute",
    "DisputeState",
    "DriverKind",
    "DriverSnapshot",
    "KeyVersion",
    "KeyWeight",
    "Method",
    "Period",
    "PeriodState",
    "PoolCategory",
    "RunState",
    "Statement",
    "StatementState",
    "statement_reference",
]
