"""Turning GraphQL ids into (agency, local id) for the ordering actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.core.permissions import host_agency
from services.ordering.errors import OrderErrorCode as Code
from tenants.models import Agency, AgencyState


def _bad(field: str) -> ValidationError:
    return ValidationError({field: ValidationError(_("Unknown id."), code=Code.NOT_FOUND)})


def local_id(global_id: str, type_name: str, field: str) -> int:
    try:
        kind, pk = from_global_id(global_id)
        if kind != type_name:
            raise ValueError
        return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise _bad(field) from exc


def order_ref(info, global_id: str, field: str = "order") -> tuple[Agency, int]:
    """`Order:<pk>` on an agency host; `AgencyOrder:<agency pk>.<pk>` on the central host."""
    agency = host_agency(info)
    if agency is not None:
        return agency, local_id(global_id, "Order", field)
    try:
        kind, ref = from_global_id(global_id)
        agency_pk, pk = (int(x) for x in ref.split("."))
        if kind != "AgencyOrder":
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
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Use your agency's address for this."))
    return agency


def load_order(agency: Agency, pk: int):
    """An order with everything its fields read, loaded inside the agency's schema, so that
    fields resolved later (on the central host, in public) read only what was loaded."""
    from django_tenants.utils import tenant_context

    from services.ordering.models import Order

    with tenant_context(agency):
        return (
            Order.objects.prefetch_related("lines__offering__service", "events")
            .filter(pk=pk)
            .first()
        )
