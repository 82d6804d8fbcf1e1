"""Write paths of support: open a ticket, add a message, assign, change state.

Every channel adapter (web, GraphQL, e-mail, SMS, chat) ends here. Each change writes the
ticket's row in the cross-agency index and its clock events in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from config.celery import enqueue_on_commit
from services.catalogue.models import Agreement, Offering, Service
from services.people.models import Person
from services.support import attachments as files
from services.support import clocks, policies, tasks
from services.support.errors import SupportErrorCode as Code
from services.support.models import (
    OPEN_TICKET_STATES,
    PRIORITY_MATRIX,
    Attachment,
    Kind,
    Ticket,
    TicketMessage,
    TicketState,
)
from tenants.viewer import Viewer


@dataclass
class NewTicket:
    subject: str
    description: str = ""
    kind: str = Kind.INCIDENT
    impact: int = 2
    urgency: int = 2
    service_id: int | None = None
    offering_id: int | None = None
    device_id: int | None = None
    order_id: int | None = None
    subscription_id: int | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def is_agent(actor) -> bool:
    return policies.works_tickets_anywhere(Viewer.of(actor))


def requester_for(agency, actor, requester_id: int | None = None) -> Person:
    """Staff open tickets for themselves; the agency's admins and agents for anyone."""
    viewer = Viewer.of(actor, agency)
    with tenant_context(agency):
        if requester_id is not None and policies.acts_for_anyone(viewer):
            person = Person.objects.filter(pk=requester_id).first()
        elif policies.is_member(viewer):
            person = Person.objects.filter(user_id=actor.pk).first()
        else:
            raise PermissionDenied(_("You have no role in this agency."))
    if person is None:
        raise ValidationError(
            {"requester": ValidationError(_("No such person in the agency."), code=Code.NOT_FOUND)}
        )
    return person


def _validated(data: NewTicket) -> dict:
    errors = {}
    subject = (data.subject or "").strip()
    if not subject:
        errors["subject"] = [
            ValidationError(_("Say briefly what the matter is."), code=Code.REQUIRED)
        ]
    elif len(subject) > 200:
        errors["subject"] = [ValidationError(_("At most 200 characters."), code=Code.INVALID)]
    if data.kind not in Kind.values:
        errors["kind"] = [ValidationError(_("Unknown kind."), code=Code.INVALID)]
    for name in ("impact", "urgency"):
        if getattr(data, name) not in (1, 2, 3):
            errors[name] = [
                ValidationError(_("Must be 1 (high), 2 or 3 (low)."), code=Code.OUT_OF_RANGE)
            ]
    checked = []
    for i, (filename, content) in enumerate(data.attachments):
        try:
            checked.append(files.check(filename, content, f"attachments.{i}"))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    service = offering = None
    if data.offering_id is not None:
        offering = (
            Offering.objects.select_related("service", "agreement")
            .filter(pk=data.offering_id)
            .first()
        )
        if offering is None:
            errors["offering"] = [ValidationError(_("No such offering."), code=Code.NOT_FOUND)]
        else:
            service = offering.service
    elif data.service_id is not None:
        service = Service.objects.filter(pk=data.service_id).first()
        if service is None:
            errors["service"] = [ValidationError(_("No such service."), code=Code.NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    return {"subject": subject, "service": service, "offering": offering, "files": checked}


def agreement_for(service, offering) -> Agreement | None:
    """The offering's agreement; for a service alone, the agreement of its first offering;
    else the default OLA."""
    if offering is not None:
        return offering.agreement
    if service is not None:
        first = service.offerings.select_related("agreement").order_by("pk").first()
        if first is not None:
            return first.agreement
    name = getattr(settings, "SAMNAV_DEFAULT_OLA", "OLA Standard")
    return Agreement.objects.filter(name=name).first()


def open_ticket(
    agency,
    requester: Person,
    data: NewTicket,
    *,
    channel: str,
    actor=None,
    proactive: bool = False,
    email_message_id: str = "",
) -> Ticket:
    clean = _validated(data)
    with tenant_context(agency), transaction.atomic():
        ticket = Ticket.objects.create(
            requester=requester,
            channel=channel,
            kind=data.kind,
            service=clean["service"],
            offering=clean["offering"],
            agreement=agreement_for(clean["service"], clean["offering"]),
            subject=clean["subject"],
            description=data.description or "",
            impact=data.impact,
            urgency=data.urgency,
            priority=PRIORITY_MATRIX[(data.impact, data.urgency)],
            is_proactive=proactive,
        )
        _link(ticket, data)
        message = TicketMessage.objects.create(
            ticket=ticket,
            author_id=getattr(actor, "pk", None),
            author_person=requester,
            channel=channel,
            body=data.description or clean["subject"],
            email_message_id=email_message_id,
        )
        _store_files(message, clean["files"])
        clocks.start(agency, ticket)
    return ticket


def _link(ticket: Ticket, data: NewTicket) -> None:
    """Link the ticket to the agency's own device, order or subscription (in its schema)."""
    from services.devices.models import Device
    from services.ordering.models import Order, Subscription

    errors = {}
    for field_name, model, pk in (
        ("device", Device, data.device_id),
        ("order", Order, data.order_id),
        ("subscription", Subscription, data.subscription_id),
    ):
        if pk is None:
            continue
        row = model.objects.filter(pk=pk).first()
        if row is None:
            errors[field_name] = [
                ValidationError(_("Unknown in this agency."), code=Code.NOT_FOUND)
            ]
        setattr(ticket, field_name, row)
    if errors:
        raise ValidationError(errors)
    if data.device_id or data.order_id or data.subscription_id:
        ticket.save(update_fields=["device", "order", "subscription"])


def add_message(
    agency,
    ticket_id: int,
    *,
    body: str,
    channel: str,
    actor=None,
    person: Person | None = None,
    internal: bool = False,
    attachments: list[tuple[str, bytes]] = (),
    email_message_id: str = "",
) -> TicketMessage:
    """A reply. An agent's public reply is the first response; the requester's reply while
    the ticket waits on them reopens it (and restarts a paused clock)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError(_("Write something."), code=Code.REQUIRED)})
    agent = actor is not None and is_agent(actor)
    if internal and not agent:
        raise PermissionDenied(_("Only central IT writes internal notes."))
    checked = []
    errors = {}
    for i, (filename, content) in enumerate(attachments):
        try:
            checked.append(files.check(filename, content, f"attachments.{i}"))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    with tenant_context(agency), transaction.atomic():
        ticket = _lock(ticket_id)
        _may_write(agency, ticket, actor, person)
        if person is None and actor is not None and not agent:
            # a member writing as themself (web, chat, API): the line is theirs, by name, in
            # every view of the conversation, not "central IT"
            person = Person.objects.filter(user_id=actor.pk).first()
        if ticket.state == TicketState.CLOSED:
            raise ValidationError(
                {
                    "ticket": ValidationError(
                        _("The ticket is closed; open a new one."), code=Code.INVALID_STATE
                    )
                }
            )
        message = TicketMessage.objects.create(
            ticket=ticket,
            author_id=getattr(actor, "pk", None),
            author_person=person,
            channel=channel,
            body=body,
            is_internal=internal,
            email_message_id=email_message_id,
        )
        _store_files(message, checked)
        if agent and not internal and ticket.first_response_at is None:
            ticket.first_response_at = message.created_at
            ticket.save(update_fields=["first_response_at"])
            clocks.stop(agency, ticket, "response", _("First response"))
        # The requester's reply reopens a ticket waiting on them, or one resolved recently.
        reopens = ticket.state == TicketState.WAITING_REQUESTER or (
            ticket.state == TicketState.RESOLVED and _within_reopen(ticket)
        )
        if not agent and reopens:
            _set_state(agency, ticket, TicketState.OPEN, _("The requester replied"))
        elif agent and not internal and ticket.state == TicketState.NEW:
            _set_state(agency, ticket, TicketState.OPEN, "")
        clocks.index(agency, ticket)
        if agent and not internal:
            enqueue_on_commit(tasks.notify_message, ticket.pk, message.pk)
    return message


def assign_ticket(
    agency, actor, ticket_id: int, *, assignee_id: int | None, group: str | None = None
) -> Ticket:
    if not is_agent(actor):
        raise PermissionDenied(_("Only central IT assigns tickets."))
    with tenant_context(agency), transaction.atomic():
        ticket = _lock(ticket_id)
        assignee = None if assignee_id is None else Viewer.of(_user(assignee_id))
        if assignee is not None and not policies.works_tickets_anywhere(assignee):
            raise ValidationError(
                {
                    "assignee": ValidationError(
                        _("Assign to a service-desk agent or technician."), code=Code.INVALID
                    )
                }
            )
        ticket.assignee_id = assignee_id
        if group:
            ticket.group = group[:60]
        ticket.save(update_fields=["assignee_id", "group"])
        clocks.index(agency, ticket)
    return ticket


def reprioritise(
    agency,
    actor,
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
    errors = {}
    for name, value in (("impact", impact), ("urgency", urgency)):
        if value is not None and value not in (1, 2, 3):
            errors[name] = [
                ValidationError(_("Must be 1 (high), 2 or 3 (low)."), code=Code.OUT_OF_RANGE)
            ]
    offering = None
    if offering_id is not None:
        offering = (
            Offering.objects.select_related("service", "agreement").filter(pk=offering_id).first()
        )
        if offering is None:
            errors["offering"] = [ValidationError(_("No such offering."), code=Code.NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    with tenant_context(agency), transaction.atomic():
        ticket = _lock(ticket_id)
        if ticket.state not in OPEN_TICKET_STATES:
            raise ValidationError(
                {
                    "ticket": ValidationError(
                        _("Only an open ticket can be re-prioritised."), code=Code.INVALID_STATE
                    )
                }
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


# Who may move a ticket where: agents anywhere; the requester (or the agency's admins) may
# resolve their own matter, reopen it within the reopen window, or close it.
REQUESTER_MOVES = {TicketState.RESOLVED, TicketState.CLOSED, TicketState.OPEN}


def change_state(agency, actor, ticket_id: int, state: str, reason: str = "") -> Ticket:
    if state not in TicketState.values:
        raise ValidationError({"state": ValidationError(_("Unknown state."), code=Code.INVALID)})
    with tenant_context(agency), transaction.atomic():
        ticket = _lock(ticket_id)
        own = Person.objects.filter(pk=ticket.requester_id, user_id=actor.pk).exists()
        admin = policies.is_admin(Viewer.of(actor, agency))
        if not is_agent(actor) and not ((own or admin) and state in REQUESTER_MOVES):
            raise PermissionDenied(_("You may not move this ticket there."))
        if ticket.state == TicketState.CLOSED:
            raise ValidationError(
                {"state": ValidationError(_("The ticket is closed."), code=Code.INVALID_STATE)}
            )
        if (
            ticket.state == TicketState.RESOLVED
            and state in (TicketState.OPEN, TicketState.NEW)
            and not _within_reopen(ticket)
        ):
            raise ValidationError(
                {
                    "state": ValidationError(
                        _("It was resolved more than %(days)s days ago: open a new ticket.")
                        % {"days": reopen_days()},
                        code=Code.REOPEN_EXPIRED,
                    )
                }
            )
        _set_state(agency, ticket, state, reason)
        clocks.index(agency, ticket)
        if state == TicketState.RESOLVED:
            enqueue_on_commit(tasks.notify_resolution, ticket.pk)
    return ticket


def reopen_days() -> int:
    return int(getattr(settings, "SAMNAV_REOPEN_DAYS", 14))


def _within_reopen(ticket: Ticket) -> bool:
    return ticket.resolved_at is None or (timezone.now() - ticket.resolved_at).days < reopen_days()


def _set_state(agency, ticket: Ticket, state: str, reason: str) -> None:
    before = ticket.state
    if before == state:
        return
    ticket.state = state
    now = timezone.now()
    if state == TicketState.RESOLVED:
        ticket.resolved_at = now
    if state == TicketState.CLOSED:
        ticket.closed_at = now
    if before == TicketState.RESOLVED and state != TicketState.CLOSED:
        ticket.resolved_at = None
    ticket.save(update_fields=["state", "resolved_at", "closed_at"])
    clocks.follow_state(agency, ticket, before, state, reason)


def _may_write(agency, ticket: Ticket, actor, person: Person | None) -> None:
    """Agents write on any ticket; the agency's admins on its tickets; anyone else only on
    their own (a channel adapter passes the sender as `person`)."""
    if actor is not None and policies.acts_for_anyone(Viewer.of(actor, agency)):
        return
    requester_id = ticket.requester_id
    if person is not None and person.pk == requester_id:
        return
    if actor is not None and Person.objects.filter(pk=requester_id, user_id=actor.pk).exists():
        return
    raise PermissionDenied(_("This is not your ticket."))


def _lock(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise ValidationError(
            {"ticket": ValidationError(_("No such ticket."), code=Code.NOT_FOUND)}
        )
    return ticket


def _store_files(message: TicketMessage, checked: list[files.CheckedFile]) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            filename=f.filename,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            content=f.content,
        )
        for f in checked
    )


def _user(pk: int):
    from tenants.models import User

    return User.objects.filter(pk=pk).first()
