"""Recording audit events. Called inside the transaction of the change it records."""

from services.audit.models import AuditEvent


def record_event(actor, action: str, obj, *, agency=None, reason: str = "", **changes):
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        agency=agency,
        reason=reason,
        changes=changes,
    )
