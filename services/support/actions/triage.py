"""Central IT's triage of a ticket: whom it is assigned to, and its priority and agreement."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.catalogue.models import Offering
from services.support import clocks, policies
from services.support.actions.access import identity, is_agent
from services.support.actions.rows import lock_ticket
from services.support.errors import SupportErrorCode as Code
from services.support.models import OPEN_TICKET_STATES, PRIORITY_MATRIX, Ticket
from services.validation import Errors, clean_text, field_error, whole_number
from tenants.models import Agency, User
from tenants.viewer import Viewer


def assign_ticket(
    agency: Agency,
    actor: User,
    ticket_id: int,
    *,
    assignee_id: int | None,
    group: str | None = None,
) -> Ticket:
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT assigns tickets."))
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        assignee = None if assignee_id is None else Viewer.of(identity(assignee_id))
        if assignee is not None and not policies.works_tickets_anywhere(assignee):
            raise field_error(
                "assignee", _("Assign to a service-desk agent or technician."), Code.INVALID
            )
        ticket.assignee_id = assignee_id
        group = clean_text("group", group)
        if group:
            ticket.group = group[:60]
        ticket.save(update_fields=["assignee_id", "group"])
        clocks.index(agency, ticket)
        record_event(
            actor, "support.ticket.assign", ticket, agency=agency, assignee=assignee_id, group=group
        )
    return ticket


def reprioritise(
    agency: Agency,
    actor: User,
    ticket_id: int,
    *,
    impact: int | None = None,
    urgency: int | None = None,
    offering_id: int | None = None,
    reason: str = "",
) -> Ticket:
    """Central IT changes a ticket's impact, urgency or offering (and so its agreement). The
    clocks keep the minutes already counted; only the rest is measured against the new
    targets (a target change event)."""
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT changes a ticket's priority or agreement."))
    reason = clean_text("reason", reason)
    errors = Errors()
    for name, value in (("impact", impact), ("urgency", urgency)):
        if value is not None:
            whole_number(
                errors,
                name,
                value,
                codes=Code,
                low=1,
                high=3,
                message=_("Must be 1 (high), 2 or 3 (low)."),
            )
    offering = None
    if offering_id is not None:
        offering = (
            Offering.objects.select_related("service", "agreement").filter(pk=offering_id).first()
        )
        if offering is None:
            errors.add("offering", _("No such offering."), Code.NOT_FOUND)
    errors.raise_if_any()
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.state not in OPEN_TICKET_STATES:
            raise field_error(
                "ticket", _("Only an open ticket can be re-prioritised."), Code.INVALID_STATE
            )
        ticket.impact = impact or ticket.impact
        ticket.urgency = urgency or ticket.urgency
        ticket.priority = PRIORITY_MATRIX[(ticket.impact, ticket.urgency)]
        if offering is not None:
            ticket.offering, ticket.service = offering, offering.service
            ticket.agreement = offering.agreement
        ticket.save(
            update_fields=["impact", "urgency", "priority", "offering", "service", "agreement"]
        )
        clocks.retarget(agency, ticket, reason or _("Priority or agreement changed"))
        clocks.index(agency, ticket)
    return ticket


def set_priority(agency: Agency, actor: User, ticket_id: int, priority: int, reason: str) -> Ticket:
    """An agent sets the priority itself (1 critical .. 4 low), overriding impact and urgency,
    with a reason: the clocks are retargeted (a target change event naming the reason) and
    the change audited."""
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT changes a ticket's priority or agreement."))
    errors = Errors()
    whole_number(
        errors,
        "priority",
        priority,
        codes=Code,
        low=1,
        high=4,
        message=_("Must be 1 (critical), 2, 3 or 4 (low)."),
    )
    reason = clean_text("reason", reason)
    if not reason:
        errors.add("reason", _("Say why the priority changes."), Code.REQUIRED)
    elif len(reason) > 200:
        errors.add("reason", _("At most %(n)s characters.") % {"n": 200}, Code.INVALID)
    errors.raise_if_any()
    with tenant_context(agency), transaction.atomic():
        ticket = lock_ticket(ticket_id)
        if ticket.state not in OPEN_TICKET_STATES:
            raise field_error(
                "priority", _("Only an open ticket can be re-prioritised."), Code.INVALID_STATE
            )
        before = ticket.priority
        if before == priority:
            raise field_error("priority", _("The ticket has that priority."), Code.INVALID)
        ticket.priority = priority
        ticket.save(update_fields=["priority"])
        clocks.retarget(agency, ticket, reason)
        clocks.index(agency, ticket)
        record_event(
            actor,
            "support.ticket.priority",
            ticket,
            agency=agency,
            reason=reason,
            priority=[before, priority],
        )
    return ticket
