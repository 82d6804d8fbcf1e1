"""Re-opening accepted statements: when a dispute's resolution moves lines of another agency
whose admin had accepted the statement, the statement goes back to published (accepted by no
one), the change is audited, and the agency's admins get an e-mail asking them to look again.
Mail goes to the admins' addresses in the agency's people register, through the outbox (in
the agency's schema; sent once the transaction commits, nothing on rollback)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.models import Period, Statement, StatementState, statement_reference
from services.people.interface import admin_addresses, send_after_commit
from tenants.hosts import portal_url
from tenants.models import User

ACCEPTED_STATES = (StatementState.ACCEPTED, StatementState.PARTLY_ACCEPTED)


def reopen_accepted(
    actor: User | None, period: Period, agency_ids: Iterable[int], reason: str
) -> list[Statement]:
    """Set the accepted statements of `agency_ids` in `period` back to published and ask
    their admins to accept again. Returns the statements re-opened."""
    statements = list(
        Statement.objects.select_for_update()
        .select_related("agency")
        .filter(period=period, agency_id__in=list(agency_ids), state__in=ACCEPTED_STATES)
        .order_by("agency_id")
    )
    if not statements:
        return []
    Statement.objects.filter(pk__in=[s.pk for s in statements]).update(
        state=StatementState.PUBLISHED, accepted_at=None, accepted_by=None
    )
    admins = admin_addresses([s.agency for s in statements])
    for statement in statements:
        statement.state = StatementState.PUBLISHED
        reference = statement_reference(period.month, statement.agency.slug)
        record_event(
            actor,
            "costs.statement.reopened",
            statement,
            agency=statement.agency,
            period=period.pk,
            reference=reference,
        )
        body = _(
            "Your accepted cost statement %(reference)s for %(month)s has changed: a dispute's "
            "resolution moved amounts onto your agency's lines. Reason: %(reason)s\n\n"
            "Review the statement and accept it again: %(url)s"
        ) % {
            "reference": reference,
            "month": f"{period.month:%Y-%m}",
            "reason": reason,
            "url": portal_url(statement.agency, f"/costs/{period.pk}/"),
        }
        send_after_commit(
            _("Cost statement %(reference)s changed: accept it again") % {"reference": reference},
            body,
            admins.get(statement.agency_id, []),
            agency=statement.agency,
        )
    return statements
