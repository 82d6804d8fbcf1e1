"""Allocation lines of the database as `ExportLine`s, and who may read which.

Two queries whatever the number of lines (every related row comes through `select_related`,
the lines' adjustments through one prefetch).

Who reads:
- finance and platform admins (central roles, on the central host): every agency, any period;
- an agency's admins (on the agency's host): their own agency's lines, once the period's
  statements are published (preliminary) or the period is closed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from services.costs.errors import CostErrorCode as Code
from services.costs.exports.rows import ExportLine, LineAdjustment
from services.costs.models import Adjustment, AllocationLine, CostPool, Period
from services.costs.policies import is_published, own_agency, reads_split
from services.validation import field_error
from tenants.models import User
from tenants.viewer import Viewer


def get_period(period_id: int) -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise field_error("period", _("No such period."), Code.NOT_FOUND)
    return period


def get_period_of_month(text: str) -> Period:
    """The period of a month written `YYYY-MM` (as the download URLs and GraphQL accept it)."""
    try:
        month = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise field_error(
            "period", _("Give the period as YYYY-MM or its id."), Code.INVALID
        ) from None
    period = Period.objects.filter(month=month).first()
    if period is None:
        raise field_error("period", _("No such period."), Code.NOT_FOUND)
    return period


def readable_agency_ids(viewer: Viewer, period: Period) -> list[int] | None:
    """The agency ids `viewer` may read the lines of in `period`: None means every agency.

    Raises PermissionDenied for anyone else (and for an agency admin before publication)."""
    if viewer.on_central_host:
        if not reads_split(viewer):
            raise PermissionDenied(_("This needs the finance role, on the central host."))
        return None
    agency = own_agency(viewer)
    if agency is None:
        raise PermissionDenied(_("Only the agency's admins read its cost statement."))
    if not is_published(period):
        raise PermissionDenied(_("The period's statements are not published yet."))
    return [agency.pk]


def _corrects(pool: CostPool) -> str | None:
    line = pool.corrects
    if line is None:
        return None
    return _("line %(id)s (%(month)s, %(pool)s)") % {
        "id": line.pk,
        "month": f"{line.period.month:%Y-%m}",
        "pool": line.pool.name,
    }


def to_export_line(line: AllocationLine) -> ExportLine:
    pool = line.pool
    version = line.key_version
    service = line.service or pool.service
    correction = pool.corrects_id is not None
    if version is not None:
        method = version.method
        driver_kind = version.driver_kind or version.method
    else:
        method = "correction" if correction else ""
        driver_kind = method
    return ExportLine(
        period=line.period.month,
        agency_id=line.agency_id,
        agency_slug=line.agency.slug,
        agency_name=line.agency.name,
        agency_org_number=line.agency.org_number or "",
        pool_id=pool.pk,
        pool_name=pool.name,
        pool_category=pool.category,
        source_reference=pool.source_reference or f"pool {pool.pk}",
        service_name=service.name if service else "",
        service_category=service.category if service else "",
        supplier_name=pool.supplier.name if pool.supplier else "",
        key_name=pool.key.name if pool.key else "",
        key_version_id=version.pk if version else None,
        key_method=method,
        driver_kind=driver_kind,
        driver_value=Decimal(line.driver_value),
        share=Decimal(line.share),
        amount_ore=int(line.amount_ore),
        corrects=_corrects(pool),
        line_id=line.pk,
        project_name=pool.project.name if pool.project else "",
        computed_ore=int(line.computed_ore),
        pool_amount_ore=int(pool.amount_ore),
        corrects_period=pool.corrects.period.month if pool.corrects is not None else None,
        adjustments=tuple(
            LineAdjustment(
                amount_ore=int(a.amount_ore),
                reason=a.reason,
                made_by=_who(a.made_by),
                made_at=a.made_at,
            )
            for a in line.adjustments.all()  # prefetched
        ),
    )


def _who(user: User | None) -> str:
    if user is None:
        return "-"
    return user.get_username()  # names live in the agencies' people registers


def period_lines(period: Period, agency_ids: list[int] | None = None) -> list[ExportLine]:
    """The period's allocation lines (of `agency_ids`, or all), in one query."""
    qs = (
        AllocationLine.objects.filter(period=period)
        .select_related(
            "period",
            "agency",
            "service",
            "key_version",
            "pool__key",
            "pool__service",
            "pool__supplier",
            "pool__project",
            "pool__corrects__period",
            "pool__corrects__pool",
        )
        .prefetch_related(
            Prefetch(
                "adjustments",
                queryset=Adjustment.objects.select_related("made_by").order_by("made_at", "id"),
            )
        )
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return [to_export_line(line) for line in qs.order_by("agency_id", "pool_id", "id")]
