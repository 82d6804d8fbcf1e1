"""Telling people things by e-mail: the addresses of an agency's admins (read in the agency's
own schema), and mail queued in the outbox with the transaction that decided it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django_tenants.utils import tenant_context

from tenants.models import Agency, RoleGrant
from tenants.roles import Role


def admin_addresses(agencies: Iterable[Agency]) -> dict[int, list[str]]:
    """E-mail addresses of each agency's admins: Person.email, in the agency's own schema, of
    the people whose identity holds AGENCY_ADMIN for that agency. One schema visit per agency
    (for periodic jobs and notifications, not hot paths)."""
    from services.people.models import Person

    agencies = {a.pk: a for a in agencies}
    users: dict[int, set[int]] = defaultdict(set)
    for agency_id, user_id in RoleGrant.objects.filter(
        role=Role.AGENCY_ADMIN, agency_id__in=list(agencies), user__is_active=True
    ).values_list("agency_id", "user_id"):
        users[agency_id].add(user_id)
    out = {}
    for agency_id, user_ids in users.items():
        with tenant_context(agencies[agency_id]):  # type: ignore[index]
            emails = Person.objects.filter(user_id__in=user_ids).exclude(email="")
            out[agency_id] = sorted({e.strip() for e in emails.values_list("email", flat=True)})
    return out


def send_after_commit(
    subject: str, body: str, recipients: list[str], agency: Agency | None = None
) -> None:
    """Queue one mail in the outbox, sent once the current transaction commits (nothing on
    rollback). `agency`: the agency whose people it goes to, when called from public; its row
    then lives in that agency's schema (services/outbox/)."""
    from services.outbox.models import Channel
    from services.outbox.queue import put

    put(Channel.EMAIL, recipients, body, subject=subject, agency=agency)
