"""Write paths of joint projects: the project itself (projects), its agreed shares (shares),
its state and its milestones (milestones); what they all check first is in checks. Called
alike by GraphQL mutations, the demo loader and commands (design.md §1).

Who may write: finance and platform admins, centrally (`actor=None` is the system itself). A
project's shares are its cost-allocation key (services/costs/ splits the project's cost pools
by them), and finance, not the catalogue manager, keeps the allocation keys.

Every action validates all input before writing, names each bad field (rows of the share list
as `shares.<index>.agency` / `shares.<index>.share`) with a `ProjectErrorCode`, writes all or
nothing, locks the project row it changes, and records an audit event per change (the audit
log of shared objects, like the catalogue's actions).

Rules:
- States: proposed -> active | cancelled; active -> paused | completed | cancelled;
  paused -> active | cancelled. Completed and cancelled are final, and a project in a final
  state is read-only (past cost splits rely on it).
- A project becomes active only with at least one share above zero.
- Shares are given as weights (any non-negative numbers with a positive sum) or as
  percentages (summing to exactly 100). Both are stored as the weight; the split is
  weight / sum of weights. At most 4 decimals. Only member agencies that have not left
  the federation take part, each at most once. Setting shares replaces the whole list.
"""

from services.projects.actions.checks import FINAL_STATES, require_project_writer
from services.projects.actions.milestones import add_milestone, complete_milestone
from services.projects.actions.projects import (
    MAX_BUDGET_ORE,
    PROJECT_FIELDS,
    STATE_NEXT,
    create_project,
    update_project,
)
from services.projects.actions.shares import HUNDRED, MAX_WEIGHT, WEIGHT_PLACES, set_shares

__all__ = [
    "FINAL_STATES",
    "HUNDRED",
    "MAX_BUDGET_ORE",
    "MAX_WEIGHT",
    "PROJECT_FIELDS",
    "STATE_NEXT",
    "WEIGHT_PLACES",
    "add_milestone",
    "complete_milestone",
    "create_project",
    "require_project_writer",
    "set_shares",
    "update_project",
]
