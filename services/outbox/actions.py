"""What people do with the outbox: send the failed messages again (audited)."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import get_public_schema_name

from services.audit.actions import record_event
from services.outbox import delivery
from tenants.models import Agency


def retry_failed(actor, agency=None) -> dict[str, int]:
    """Set failed messages back to pending (the sweeper sends them within a minute) and record
    who did it; returns how many, central and in agencies. With `agency` (its admin's page),
    that agency's only, recorded against it."""
    with transaction.atomic():
        counts = delivery.retry_failed(agency)
        target = agency or Agency.objects.get(schema_name=get_public_schema_name())
        record_event(
            actor,
            "outbox.retry_failed",
            target,
            agency=agency,
            central=counts["central"],
            agencies=counts["agency"],
        )
    return counts
