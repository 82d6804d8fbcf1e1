"""Portal pages of the licence pools (central host, catalogue managers and platform admins):
every pool with its compliance position, and per pool the seats each agency holds and assigns.

Everything is read from public (services/licences/compliance.py): quotas, held and assigned
counters, and the counts of the latest usage import; no page loops over agency schemas.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.paging import paginate
from services.licences import compliance, policies
from services.licences.models import AgencyQuota, LicencePool, UsageCount
from tenants.viewer import of_request


def require_manager(request: HttpRequest) -> None:
    if not policies.manages_pools(of_request(request)):
        raise PermissionDenied(_("Only a catalogue manager or platform admin may open this page."))


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    pools = compliance.with_pool_position(
        LicencePool.objects.select_related("supplier", "offering").order_by("product", "pk")
    )
    page = paginate(request, pools)
    rows = [{"pool": p, "position": compliance.pool_position(p)} for p in page.object_list]
    return render(request, "licences/pools.html", {"page": page, "rows": rows})


def agency_rows(pool: LicencePool, position: compliance.PoolPosition) -> list[dict]:
    """Each agency's quota, held and assigned seats in the pool, and, after a usage import,
    its used and unused seats: two queries whatever the number of agencies."""
    quotas = list(
        AgencyQuota.objects.filter(pool=pool).select_related("agency").order_by("agency__name")
    )
    counts = {}
    if position.usage_imported_at is not None:
        latest = pool.imports.order_by("-imported_at", "-id").values("pk")[:1]
        counts = {c.agency_id: c for c in UsageCount.objects.filter(usage_import__in=latest)}
    rows = []
    for q in quotas:
        count = counts.get(q.agency_id)
        used = (count.used_seats if count else 0) if position.usage_imported_at else None
        unused = (
            (count.assigned_unused_seats if count else 0) if position.usage_imported_at else None
        )
        rows.append(
            {
                "agency": q.agency,
                "position": compliance.AgencyPosition(
                    pool_id=pool.pk,
                    agency_id=q.agency_id,
                    quota=q.quota_seats,
                    held=q.held_seats,
                    assigned=q.assigned_seats,
                    used=used,
                    assigned_unused=unused,
                    unused_days=position.unused_days,
                    usage_imported_at=position.usage_imported_at,
                ),
            }
        )
    return rows


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request)
    pool = (
        compliance.with_pool_position(LicencePool.objects.select_related("supplier", "offering"))
        .filter(pk=pk)
        .first()
    )
    if pool is None:
        raise Http404(_("No such licence pool."))
    position = compliance.pool_position(pool)
    return render(
        request,
        "licences/pool.html",
        {"pool": pool, "position": position, "rows": agency_rows(pool, position)},
    )
