"""The rows every write path of visits shares: the visit locked for the change, and its row
in the cross-agency index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from services.crossindex import actions as index
from services.crossindex.models import IndexKind
from services.field.visits.errors import VisitErrorCode as Code
from services.field.visits.models import Visit, VisitWindow
from services.validation import field_error
from tenants.models import Agency


def lock_visit(visit_id: int) -> Visit:
    """The visit's row, locked until the transaction ends. Call inside the agency's schema."""
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise field_error("visit", _("No such visit."), Code.NOT_FOUND)
    return visit


def future_windows(visit: Visit, now: dt.datetime) -> list[VisitWindow]:
    return [w for w in visit.windows.all() if w.starts_at > now]


def index_visit(agency: Agency, visit: Visit, **extra: Any) -> None:
    """The visit's row in the cross-agency index: state, start, technician and county (never
    the address)."""
    first = visit.windows.order_by("starts_at").values_list("starts_at", flat=True).first()
    index.upsert(
        IndexKind.VISIT,
        visit.pk,
        agency=agency,
        state=visit.state,
        due_at=visit.confirmed_start or first,
        assignee_id=visit.technician_id,
        group=visit.county,
        **extra,
    )
