"""Where the outbox's rows live: in the schema of the agency a message concerns (the agency
half, services/outbox/agency/), or in public for central IT's own mail."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name

from services.outbox.agency.interface import OutboundMessage
from services.outbox.models import CentralMessage, OutboundBase
from tenants.models import Agency
from tenants.schemas import current_schema


def in_public() -> bool:
    return current_schema() in (None, "", get_public_schema_name())


def message_model() -> type[OutboundBase]:
    """The outbox of the current schema."""
    return CentralMessage if in_public() else OutboundMessage


def current_agency_id() -> int:
    """The agency whose schema is current (schema_context sets a stand-in without an id)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Agency) and tenant.pk and tenant.schema_name == current_schema():
        return tenant.pk
    return Agency.objects.only("pk").get(schema_name=current_schema()).pk
