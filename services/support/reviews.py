"""Review actions: what central IT does about an OLA ticket that breached a clock. An OLA is
between central IT and the agencies, so a breach leads to a recorded review (what happened,
the corrective action, its owner and due date), not to money (SLA breaches are the
supplier's, handled under the contract).

Write paths: `record_review_action` and `complete_review_action`, for platform admins and
service-desk agents. Reading: `review_actions` for the agencies a caller may read
(services/support/compliance.py: `agencies_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.calendars.clock import ClockState
from services.catalogue.models import AgreementKind
from services.support import clocks, policies
from services.support.errors import SupportErrorCode as Code
from services.support.models import ReviewAction, Ticket
from services.validation import Errors, clean_text, field_error, text
from tenants.access import Identity
from tenants.models import Agency, User
from tenants.viewer import Viewer

OWNER_MAX_LENGTH = ReviewAction._meta.get_field("owner").max_length or 200


@dataclass
class NewReviewAction:
    what_happened: str
    corrective_action: str
    owner: str  # a role or function, e.g. "Service desk lead"
    due_on: dt.date | None


def is_reviewer(actor: Identity) -> bool:
    return policies.records_reviews(Viewer.of(actor))


def _today() -> dt.date:
    return timezone.localdate()


def _checked(errors: Errors, data: NewReviewAction, today: dt.date) -> dict[str, Any]:
    """The cleaned fields; each refused one is an error in `errors`."""
    clean: dict[str, Any] = {}
    for name in ("what_happened", "corrective_action"):
        clean[name] = clean_text(name, getattr(data, name))
        if not clean[name]:
            errors.add(name, _("This is required."), Code.REQUIRED)
    clean["owner"] = text(
        errors,
        "owner",
        data.owner,
        codes=Code,
        max_length=OWNER_MAX_LENGTH,
        required_message=_("This is required."),
    )
    if data.due_on is None:
        errors.add("due_on", _("Give a due date."), Code.REQUIRED)
    elif data.due_on < today:
        errors.add("due_on", _("The due date is in the past."), Code.DATE_IN_PAST)
    clean["due_on"] = data.due_on
    return clean


def _check_ticket(errors: Errors, agency: Agency, ticket: Ticket | None) -> None:
    """A review action is for a ticket under an OLA that breached one of its clocks."""
    if ticket is None:
        errors.add("ticket", _("No such ticket."), Code.NOT_FOUND)
    elif ticket.agreement is None or ticket.agreement.kind != AgreementKind.OLA:
        errors.add(
            "ticket",
            _("Review actions are for tickets under an OLA; SLA breaches are the supplier's."),
            Code.NOT_OLA,
        )
    else:
        statuses = clocks.statuses(agency, ticket, events=ticket.clock_events.all())
        if not any(s.state == ClockState.BREACHED for s in statuses.values()):
            errors.add("ticket", _("The ticket has not breached its agreement."), Code.NOT_BREACHED)


def record_review_action(
    agency: Agency, actor: User | None, ticket_id: int, data: NewReviewAction
) -> ReviewAction:
    """Record a review action for a ticket of `agency` that breached an OLA clock. Every field
    is checked and all errors are raised together; nothing is written on an error."""
    if not is_reviewer(actor):
        raise PermissionDenied(_("Only platform admins and service-desk agents record reviews."))
    assert actor is not None  # a reviewer is signed in
    errors = Errors()
    clean = _checked(errors, data, _today())
    with tenant_context(agency), transaction.atomic():
        ticket = (
            Ticket.objects.select_related("agreement")
            .prefetch_related("clock_events")
            .filter(pk=ticket_id)
            .first()
        )
        _check_ticket(errors, agency, ticket)
        if ticket is None or ticket.agreement is None or errors.items:
            raise ValidationError(errors.items)
        return ReviewAction.objects.create(
            ticket=ticket,
            agreement=ticket.agreement,
            created_by_id=actor.pk,
            **clean,
        )


def complete_review_action(
    agency: Agency, actor: User | None, review_id: int, done_on: dt.date | None = None
) -> ReviewAction:
    """Mark a review action done (on `done_on`, default today; not in the future)."""
    if not is_reviewer(actor):
        raise PermissionDenied(_("Only platform admins and service-desk agents record reviews."))
    today = _today()
    done_on = done_on or today
    with tenant_context(agency), transaction.atomic():
        review = (
            ReviewAction.objects.select_for_update(of=("self",))
            .select_related("ticket", "agreement")
            .filter(pk=review_id)
            .first()
        )
        if review is None:
            raise field_error("review_action", _("No such review action."), Code.NOT_FOUND)
        if review.done_on is not None:
            raise field_error(
                "review_action", _("The review action is already done."), Code.INVALID_STATE
            )
        if done_on > today:
            raise field_error("done_on", _("Not in the future."), Code.OUT_OF_RANGE)
        review.done_on = done_on
        review.save(update_fields=["done_on"])
    return review


def review_actions(
    agencies: Iterable[Agency], *, open: bool | None = None
) -> list[tuple[Agency, ReviewAction]]:
    """The review actions of `agencies` (open: not done yet; False: done), one query each,
    ordered by agency, then due date."""
    out: list[tuple[Agency, ReviewAction]] = []
    for agency in agencies:
        with tenant_context(agency):
            qs = ReviewAction.objects.select_related("ticket", "agreement")
            if open is not None:
                qs = qs.filter(done_on__isnull=open)
            out.extend((agency, review) for review in qs.order_by("due_on", "id"))
    return out
