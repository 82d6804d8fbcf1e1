"""Write paths of field visits: request, suggest, dispatch, arrive, complete, cancel; one
module per concept. Called as `actions.request_visit(...)`.

Each change writes the visit's row in the cross-agency index (state, start, technician,
county; never the address) in the same transaction, and dispatch's public rows (the
technician's booking, the monthly driver) in that transaction too.
"""

from services.field.visits.actions.dispatching import dispatch_visit, suggest_technicians
from services.field.visits.actions.on_site import MAX_MINUTES, complete_visit, mark_arrived
from services.field.visits.actions.requests import (
    NewVisit,
    cancel_visit,
    horizon_days,
    max_windows,
    request_visit,
)
from services.field.visits.actions.rows import index_visit

__all__ = [
    "MAX_MINUTES",
    "NewVisit",
    "cancel_visit",
    "complete_visit",
    "dispatch_visit",
    "horizon_days",
    "index_visit",
    "mark_arrived",
    "max_windows",
    "request_visit",
    "suggest_technicians",
]
