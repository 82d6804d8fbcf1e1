"""Write paths of the cost split, one module per concept: periods (open, close), pools, keys
and their versions, driver snapshots and runs, statements (publish, accept), disputes (raise,
resolve), corrections of closed periods, and whole-period exports. Called alike by GraphQL
mutations, the portal's pages, the pool import and the demo loader.

Finance keeps periods, pools, keys and runs, publishes, resolves and closes; an agency's admin
accepts or disputes its own statement (services/costs/policies.py). Every action checks its
input before writing, names the bad field with a `CostErrorCode`, and records an audit event.
"""

from services.costs.actions.corrections import book_correction
from services.costs.actions.disputes import RESOLUTIONS, dispute_line, resolve_dispute
from services.costs.actions.exports import request_export
from services.costs.actions.keys import VersionInput, add_key_version, create_key
from services.costs.actions.periods import (
    close_period,
    create_period,
    first_of_month,
    get_period,
    require_open,
    require_preliminary,
)
from services.costs.actions.pools import PoolInput, create_pool, delete_pool, update_pool
from services.costs.actions.runs import request_driver_snapshot, request_run, run_allocation_now
from services.costs.actions.statements import accept_statement, publish_statements

__all__ = [
    "RESOLUTIONS",
    "PoolInput",
    "VersionInput",
    "accept_statement",
    "add_key_version",
    "book_correction",
    "close_period",
    "create_key",
    "create_period",
    "create_pool",
    "delete_pool",
    "dispute_line",
    "first_of_month",
    "get_period",
    "publish_statements",
    "request_driver_snapshot",
    "request_export",
    "request_run",
    "require_open",
    "require_preliminary",
    "resolve_dispute",
    "run_allocation_now",
    "update_pool",
]
