"""Who sees and changes whom in an agency's people register (tenants/viewer.py;
docs/decisions/2026-12-07-viewer-and-policies.md).

An agency's admins keep its register, on its host: list, add, edit, deactivate, import,
export and anonymise. Every member of the agency sees and corrects their own contact details.
Nobody else, on any host, sees an agency's people: the data stays in the agency's schema.
A suspended agency's people hold no role (tenants.access), so nothing here answers for them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from tenants.models import Agency
from tenants.viewer import Viewer

RowsT = TypeVar("RowsT", bound=QuerySet[Any])


def people(viewer: Viewer, queryset: RowsT) -> RowsT:
    """The agency's people: all of them for its admins, on its host; one's own record for its
    other members."""
    if viewer.admin_agency is not None:
        return queryset
    if viewer.member():
        return queryset.filter(user_id=viewer.user_id)
    return queryset.none()


def register_agency(viewer: Viewer) -> Agency | None:
    """The host agency when the viewer may keep its register (its admins)."""
    return viewer.admin_agency


def keeps_register(viewer: Viewer, agency: Agency) -> bool:
    """The actions' writes of the register: the agency's admins, on its host."""
    return viewer.admin_agency is not None and viewer.admin_agency.pk == agency.pk


def edits_own_details(viewer: Viewer, agency: Agency) -> bool:
    """Any member of the agency, on its host, for their own record."""
    return viewer.agency is not None and viewer.agency.pk == agency.pk and viewer.member()


def manages_scim_tokens(viewer: Viewer, agency: Agency) -> bool:
    """An agency's SCIM tokens (services/people/scim): created, listed and revoked by its
    admins, on its host."""
    return keeps_register(viewer, agency)


def scim_keeps_register(actor: Any, agency: Agency) -> bool:
    """The register's writes by SCIM provisioning (services/people/scim_actions.py): a
    `ScimActor` (services/people/scim/actor.py) of this very agency, which is active, whose
    token is neither revoked nor expired. An agency that is suspended (or not open)
    provisions nothing. No User and no role grant is involved: the token acts for the agency."""
    from tenants.models import AgencyState

    if not getattr(actor, "is_scim_actor", False) or actor.agency.pk != agency.pk:
        return False
    if not Agency.objects.filter(pk=agency.pk, state=AgencyState.ACTIVE).exists():
        return False
    return bool(actor.token_usable())


def scim_tokens(viewer: Viewer, queryset: RowsT) -> RowsT:
    """The agency's SCIM tokens (services/people/scim): its admins', on its host."""
    return viewer.admin_rows(queryset)
