"""Recording audit events. Called inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from services.audit.models import AuditEvent
from tenants.models import Agency, User


def record_event(
    actor: User | AnonymousUser | None,
    action: str,
    obj: Model,
    *,
    agency: Agency | None = None,
    reason: str = "",
    **changes: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agency=agency,
        reason=reason,
        changes=changes,
    )
