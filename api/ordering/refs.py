"""Order ids for the ordering actions, and loading an order inside its agency's schema."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from api.core.refs import agency_of_host, agency_row_ref, local_id
from tenants.models import Agency

__all__ = ["agency_of_host", "load_order", "local_id", "order_ref"]


def order_ref(info, global_id: str, field: str = "order") -> tuple[Agency, int]:
    """`Order:<pk>` on an agency host; `AgencyOrder:<agency pk>.<pk>` on the central host."""
    return agency_row_ref(info, global_id, "Order", field)


def load_order(agency: Agency, pk: int):
    """An order with everything its fields read, loaded inside the agency's schema, so that
    fields resolved later (on the central host, in public) read only what was loaded."""
    from services.ordering.models import Order

    with tenant_context(agency):
        return (
            Order.objects.prefetch_related("lines__offering__service", "events")
            .filter(pk=pk)
            .first()
        )
