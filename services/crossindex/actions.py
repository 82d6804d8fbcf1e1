"""Upserting index rows. Call inside the transaction of the agency-side change."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from services.crossindex.models import IndexEntry
from tenants.models import Agency


def current_agency() -> Agency:
    tenant = getattr(connection, "tenant", None)
    if tenant is None or not isinstance(tenant, Agency) or not tenant.is_member:
        raise RuntimeError("index writes need an agency schema")
    return tenant


def upsert(kind: str, local_id: int, *, agency: Agency | None = None, **fields: Any) -> IndexEntry:
    agency = agency or current_agency()
    entry, _created = IndexEntry.objects.update_or_create(
        agency=agency,
        kind=kind,
        local_id=local_id,
        defaults={**fields, "updated_at": timezone.now()},
    )
    return entry
