"""Opening a ticket: its fields checked, its agreement found, its links to the agency's own
device, order or subscription, its first message and its clocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.catalogue.models import Agreement, Offering, Service
from services.people.models import Person
from services.support import attachments as files
from services.support import clocks
from services.support.actions.rows import check_files, store_files
from services.support.errors import SupportErrorCode as Code
from services.support.models import PRIORITY_MATRIX, Kind, Ticket, TicketMessage
from services.validation import Errors, clean_text, text, whole_number
from tenants.models import Agency, User

SUBJECT_MAX_LENGTH = 200

Row = TypeVar("Row", bound=models.Model)


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


@dataclass(frozen=True)
class _Checked:
    subject: str
    service: Service | None
    offering: Offering | None
    files: list[files.CheckedFile]


def _validated(data: NewTicket) -> _Checked:
    errors = Errors()
    subject = text(
        errors,
        "subject",
        data.subject,
        codes=Code,
        max_length=SUBJECT_MAX_LENGTH,
        required_message=_("Say briefly what the matter is."),
    )
    if data.kind not in Kind.values:
        errors.add("kind", _("Unknown kind."), Code.INVALID)
    for name in ("impact", "urgency"):
        whole_number(
            errors,
            name,
            getattr(data, name),
            codes=Code,
            low=1,
            high=3,
            message=_("Must be 1 (high), 2 or 3 (low)."),
        )
    checked = check_files(errors, data.attachments)
    service: Service | None = None
    offering: Offering | None = None
    if data.offering_id is not None:
        offering = (
            Offering.objects.select_related("service", "agreement")
            .filter(pk=data.offering_id)
            .first()
        )
        if offering is None:
            errors.add("offering", _("No such offering."), Code.NOT_FOUND)
        else:
            service = offering.service
    elif data.service_id is not None:
        service = Service.objects.filter(pk=data.service_id).first()
        if service is None:
            errors.add("service", _("No such service."), Code.NOT_FOUND)
    errors.raise_if_any()
    return _Checked(subject, service, offering, checked)


def agreement_for(service: Service | None, offering: Offering | None) -> Agreement | None:
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
    agency: Agency,
    requester: Person,
    data: NewTicket,
    *,
    channel: str,
    actor: User | None = None,
    proactive: bool = False,
    email_message_id: str = "",
) -> Ticket:
    clean = _validated(data)
    description = clean_text("description", data.description)
    with tenant_context(agency), transaction.atomic():
        ticket = Ticket.objects.create(
            requester=requester,
            channel=channel,
            kind=data.kind,
            service=clean.service,
            offering=clean.offering,
            agreement=agreement_for(clean.service, clean.offering),
            subject=clean.subject,
            description=description,
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
            body=description or clean.subject,
            email_message_id=email_message_id,
        )
        store_files(message, clean.files)
        clocks.start(agency, ticket)
    return ticket


def _link(ticket: Ticket, data: NewTicket) -> None:
    """Link the ticket to the agency's own device, order or subscription (in its schema)."""
    from services.devices.models import Device
    from services.ordering.models import Order, Subscription

    errors = Errors()
    ticket.device = _row(errors, "device", Device, data.device_id)
    ticket.order = _row(errors, "order", Order, data.order_id)
    ticket.subscription = _row(errors, "subscription", Subscription, data.subscription_id)
    errors.raise_if_any()
    if data.device_id or data.order_id or data.subscription_id:
        ticket.save(update_fields=["device", "order", "subscription"])


def _row(errors: Errors, name: str, model: type[Row], pk: int | None) -> Row | None:
    if pk is None:
        return None
    row = model._default_manager.filter(pk=pk).first()
    if row is None:
        errors.add(name, _("Unknown in this agency."), Code.NOT_FOUND)
    return row
