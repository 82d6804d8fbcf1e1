"""Who sees what of the service hubs: the hubs themselves, their stock, and a hub's day of
bookings over every agency (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-
policies.md).

Asked by the GraphQL types (api/hubs/) and the hub desk's pages (hubs/portal.py); an agency's
own bookings are in services/hubs/bookings/policies.py.
"""

from __future__ import annotations

from django.db.models import QuerySet

from services.crossindex.models import IndexEntry, IndexKind
from services.hubs import stock
from services.hubs.models import Hub, StockItem
from tenants.roles import CUSTODIANS, HUB_WORKERS
from tenants.viewer import Viewer


def sees_stock(viewer: Viewer) -> bool:
    """The hubs' loaner and replacement devices: central IT's custodians, on the central host."""
    return viewer.central(*CUSTODIANS)


def hubs(viewer: Viewer, queryset: QuerySet[Hub]) -> QuerySet[Hub]:
    """Anyone signed in, on any host, sees the active hubs; those who see the stock get each
    hub's counts with them (one query for the list)."""
    if viewer.user is None:
        return queryset.none()
    qs = queryset.filter(is_active=True)
    return stock.with_stock_counts(qs) if sees_stock(viewer) else qs


def stock_items(viewer: Viewer, queryset: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """The hubs' stock, item by item: central IT's custodians, on the central host."""
    return viewer.central_rows(queryset, *CUSTODIANS)


def works_hub_days(viewer: Viewer) -> bool:
    """Hub staff and the service desk (and platform admins), on the central host: a hub's day
    over every agency, and each of its bookings."""
    return viewer.central(*HUB_WORKERS)


def hub_days(viewer: Viewer, queryset: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """The cross-agency index of hub bookings (no personal data), for `works_hub_days`."""
    return viewer.central_rows(queryset.filter(kind=IndexKind.BOOKING), *HUB_WORKERS)


def works_loaners(viewer: Viewer) -> bool:
    """Hub staff and the service desk (and platform admins), on the central host: a hub's
    loaners, lending and taking them back, and the overdue ones of every hub."""
    return viewer.central(*HUB_WORKERS)
