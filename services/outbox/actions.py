"""What people do with the outbox: send the failed messages again (audited)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from services.audit.actions import record_event
from services.outbox import delivery, policies
from tenants.models import Agency, User
from tenants.viewer import Viewer


def may_retry(actor: User | AnonymousUser | None, agency: Agency | None = None) -> bool:
    """An agency's admins retry its messages; platform admins and the service desk every one.
    `actor=None` is the system itself (`manage.py outbox --retry-failed`)."""
    if actor is None:
        return True
    if not actor.is_authenticated:
        return False
    return policies.retries_messages(Viewer.of(actor, agency))


def retry_failed(
    actor: User | AnonymousUser | None, agency: Agency | None = None
) -> dict[str, int]:
    """Set failed messages back to pending (the sweeper sends them within a minute) and record
    who did it; returns how many, central and in agencies. With `agency` (its admin's page),
    that agency's only, recorded against it."""
    if not may_retry(actor, agency):
        raise PermissionDenied(
            _("Only the agency's admins, or central IT's service desk, may do this.")
        )
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
