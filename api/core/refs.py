"""Ids that name agency rows: `<Type>:<pk>` on the agency's own host, and
`Agency<Type>:<agency pk>.<pk>` on the central host, where central IT reaches every agency."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id, to_global_id

from api.core.permissions import host_agency
from tenants.models import Agency, AgencyState

NOT_FOUND = "not_found"  # every domain's error codes have it


def _bad(field: str) -> ValidationError:
    return ValidationError({field: ValidationError(_("Unknown id."), code=NOT_FOUND)})


def local_id(global_id: str, type_name: str, field: str) -> int:
    try:
        kind, pk = from_global_id(global_id)
        if kind != type_name:
            raise ValueError
        return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise _bad(field) from exc


def central_id(type_name: str, agency_id: int, pk: int) -> str:
    return to_global_id(f"Agency{type_name}", f"{agency_id}.{pk}")


def agency_row_ref(info, global_id: str, type_name: str, field: str) -> tuple[Agency, int]:
    """The agency and local pk an id names, on an agency host or (central form) centrally."""
    agency = host_agency(info)
    if agency is not None:
        return agency, local_id(global_id, type_name, field)
    try:
        kind, ref = from_global_id(global_id)
        agency_pk, pk = (int(x) for x in ref.split("."))
        if kind != f"Agency{type_name}":
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise _bad(field) from exc
    agency = (
        Agency.objects.members()
        .filter(pk=agency_pk, state__in=[AgencyState.ACTIVE, AgencyState.SUSPENDED])
        .first()
    )
    if agency is None:
        raise _bad(field)
    return agency, pk


def agency_of_host(info) -> Agency:
    agency = host_agency(info)
    if agency is None:
        raise PermissionDenied(_("Use your agency's address for this."))
    return agency


# A shared service named by id and name, for types whose rows live in an agency's schema and
# cannot join the catalogue.
class ServiceRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
