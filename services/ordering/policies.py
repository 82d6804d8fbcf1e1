"""Who sees and does what in ordering: an agency's orders and subscriptions, and central IT's
fulfilment queue (tenants/viewer.py; docs/decisions/2026-12-07-viewer-and-policies.md).

Asked by the GraphQL types and queries (api/ordering/) and the portal's pages
(ordering/portal/); the actions ask the predicates at the end when something is written,
with the viewer of the actor on the agency acted on (`Viewer.of(actor, agency)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import QuerySet

from services.crossindex.models import IndexEntry, IndexKind
from tenants.models import Agency
from tenants.roles import QUEUE_READERS, SERVICE_DESK, Role
from tenants.viewer import Viewer

RowsT = TypeVar("RowsT", bound=QuerySet[Any])


def ordering_agency(viewer: Viewer) -> Agency | None:
    """The host agency when the viewer is its admin (staff do not order), else None."""
    return viewer.admin_agency


def orders(viewer: Viewer, queryset: RowsT) -> RowsT:
    """An agency's orders, their lines and events, and its subscriptions: its admins only, on
    its host."""
    return viewer.admin_rows(queryset)


def fulfilment_queue(viewer: Viewer, queryset: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """Central IT's queue of every agency's orders (the cross-agency index): the service desk,
    platform admins and finance, on the central host."""
    return viewer.central_rows(queryset.filter(kind=IndexKind.ORDER), *QUEUE_READERS)


def reads_any_order(viewer: Viewer) -> bool:
    """Who reads one order of any agency (agencyOrder): the queue's readers, centrally."""
    return viewer.holds_central(*QUEUE_READERS)


def fulfils_orders(viewer: Viewer) -> bool:
    """Who opens the fulfilment pages: the service desk and platform admins, centrally."""
    return viewer.holds_central(*SERVICE_DESK)


# Checks of the actions (an actor on the agency acted on, whatever the host).


def orders_for_agency(viewer: Viewer) -> bool:
    """An admin of the agency acted on: places, approves, changes and cancels its orders."""
    return viewer.member(Role.AGENCY_ADMIN)


def overrides_budgets(viewer: Viewer) -> bool:
    """Finance, centrally: lets an order past its agency's budget."""
    return viewer.holds_central(Role.FINANCE)


def acts_centrally(viewer: Viewer, *roles: Role | str) -> bool:
    """Holding one of `roles` centrally, from any host (fulfilment: the service desk)."""
    return viewer.holds_central(*roles)


def rejecting_role(viewer: Viewer, roles: Iterable[Role | str]) -> str | None:
    """The first of a reject gate's `roles` the viewer holds (agency admin in the agency acted
    on, the others centrally), or None."""
    for role in roles:
        if role == Role.AGENCY_ADMIN and viewer.member(role):
            return role
        if role != Role.AGENCY_ADMIN and viewer.holds_central(role):
            return role
    return None
