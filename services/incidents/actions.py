"""Write paths of major incidents: central IT resolves one, with a note posted to every linked
ticket (a public reply, in the ticket's own agency schema, through support's actions) and,
when asked, the tickets resolved too. One transaction: all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.models import Service
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents import policies
from services.incidents.correlation import SUBSCRIBED_STATES, opened_mail
from services.incidents.errors import IncidentErrorCode as Code
from services.incidents.models import IncidentNotice, IncidentState, IncidentTicket, MajorIncident
from services.people.interface import admin_addresses, send_after_commit
from services.support import interface as support
from services.support.interface import OPEN_TICKET_STATES, Channel, TicketState
from services.validation import clean_text
from tenants.models import Agency, AgencyState, User
from tenants.viewer import Viewer


def resolve_incident(
    actor: User, incident_id: int, *, note: str, resolve_tickets: bool = False
) -> MajorIncident:
    """Resolve an open incident (service-desk agents, platform admins). The note goes to every
    linked ticket that is not closed; with `resolve_tickets`, open ones are resolved too.
    The admins of every agency told about the incident are told it is resolved."""
    if not policies.resolves_incidents(Viewer.of(actor)):
        raise PermissionDenied(_("Only the central service desk resolves major incidents."))
    note = clean_text("note", note)
    if not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Say what was wrong and what was done."), code=Code.REQUIRED
                )
            }
        )
    with transaction.atomic():
        incident = MajorIncident.objects.select_for_update().filter(pk=incident_id).first()
        if incident is None:
            raise ValidationError(
                {"incident": ValidationError(_("No such major incident."), code=Code.NOT_FOUND)}
            )
        if incident.state != IncidentState.OPEN:
            raise ValidationError(
                {
                    "incident": ValidationError(
                        _("The major incident is already resolved."), code=Code.INVALID_STATE
                    )
                }
            )
        links = list(incident.tickets.select_related("agency").order_by("agency_id", "ticket_id"))
        states = {
            (agency_id, local_id): state
            for agency_id, local_id, state in IndexEntry.objects.filter(
                kind=IndexKind.TICKET, agency_id__in={link.agency_id for link in links}
            )
            .filter(local_id__in={link.ticket_id for link in links})
            .values_list("agency_id", "local_id", "state")
        }
        for link in links:
            state = states.get((link.agency_id, link.ticket_id))
            if state in (None, TicketState.CLOSED) or link.agency.state not in (
                AgencyState.ACTIVE,
                AgencyState.SUSPENDED,
            ):
                continue  # gone, closed, or its agency's schema is no longer there
            support.add_message(
                link.agency, link.ticket_id, body=note, channel=Channel.WEB, actor=actor
            )
            if resolve_tickets and state in OPEN_TICKET_STATES:
                support.change_state(
                    link.agency,
                    actor,
                    link.ticket_id,
                    TicketState.RESOLVED,
                    _("Major incident resolved"),
                )
        incident.state = IncidentState.RESOLVED
        incident.resolved_at = timezone.now()
        incident.resolved_by = actor
        incident.save(update_fields=["state", "resolved_at", "resolved_by"])
        # the note is free text (it goes to the tickets): the audit keeps states and counts
        record_event(
            actor,
            "incidents.incident.resolved",
            incident,
            state=incident.state,
            tickets=len(links),
            resolve_tickets=resolve_tickets,
        )
        _notify_resolved(incident, note)
    return incident


def _notify_resolved(incident: MajorIncident, note: str) -> None:
    agencies = Agency.objects.members().filter(
        state=AgencyState.ACTIVE,
        pk__in=incident.notices.values_list("agency_id", flat=True),
    )
    name = Service.objects.filter(pk=incident.service_id).values_list("name", flat=True).first()
    subject = _("Major incident resolved: %(service)s") % {"service": name}
    body = "\n".join(
        [
            _("The major incident for the service %(service)s is resolved.") % {"service": name},
            "",
            note,
        ]
    )
    by_id = {agency.pk: agency for agency in agencies}
    for agency_id, recipients in sorted(admin_addresses(by_id.values()).items()):
        send_after_commit(subject, body, recipients, agency=by_id[agency_id])


# --- the console: link a ticket, post an update ------------------------------------------------

LINKABLE_STATES = (AgencyState.ACTIVE, AgencyState.SUSPENDED)


def _open_incident(incident_id: int) -> MajorIncident:
    """The open incident, locked for this transaction; a clear error otherwise."""
    incident = MajorIncident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        raise ValidationError(
            {"incident": ValidationError(_("No such major incident."), code=Code.NOT_FOUND)}
        )
    if incident.state != IncidentState.OPEN:
        raise ValidationError(
            {
                "incident": ValidationError(
                    _("The major incident is already resolved."), code=Code.INVALID_STATE
                )
            }
        )
    return incident


def _require_desk(actor: User) -> None:
    if not policies.resolves_incidents(Viewer.of(actor)):
        raise PermissionDenied(_("Only the central service desk works on major incidents."))


def link_ticket(
    actor: User, incident_id: int, *, agency_slug: str, ticket_id: int
) -> IncidentTicket:
    """Link an agency's ticket (by the agency's slug and the ticket's number) to an open
    incident, as correlation would: the agency counts as reporting it, and its admins are told
    once (IncidentNotice). A ticket joins one incident."""
    _require_desk(actor)
    with transaction.atomic():
        incident = _open_incident(incident_id)
        agency = (
            Agency.objects.members()
            .filter(slug=(agency_slug or "").strip(), state__in=LINKABLE_STATES)
            .first()
        )
        if agency is None:
            raise ValidationError(
                {"agency": ValidationError(_("No such agency."), code=Code.NOT_FOUND)}
            )
        exists = IndexEntry.objects.filter(
            kind=IndexKind.TICKET, agency=agency, local_id=ticket_id
        ).exists()
        if not exists:
            raise ValidationError(
                {
                    "ticket": ValidationError(
                        _("The agency has no such ticket."), code=Code.NOT_FOUND
                    )
                }
            )
        other = IncidentTicket.objects.filter(agency=agency, ticket_id=ticket_id).first()
        if other is not None:
            raise ValidationError(
                {
                    "ticket": ValidationError(
                        _("The ticket is already linked to major incident %(id)s.")
                        % {"id": other.incident_id},
                        code=Code.INVALID_STATE,
                    )
                }
            )
        link = IncidentTicket.objects.create(incident=incident, agency=agency, ticket_id=ticket_id)
        incident.agencies_reported = (
            IncidentTicket.objects.filter(incident=incident).values("agency_id").distinct().count()
        )
        incident.save(update_fields=["agencies_reported"])
        _notice, told = IncidentNotice.objects.get_or_create(
            incident=incident, agency=agency, defaults={"reported": True}
        )
        if told and agency.state == AgencyState.ACTIVE:
            name = Service.objects.filter(pk=incident.service_id).values_list("name", flat=True)
            own = IncidentTicket.objects.filter(incident=incident, agency=agency).count()
            subject, body = opened_mail(name.first() or "", incident, own)
            for recipients in admin_addresses([agency]).values():
                send_after_commit(subject, body, recipients, agency=agency)
        record_event(actor, "incidents.ticket.linked", incident, agency=agency, ticket=ticket_id)
    return link


@dataclass(frozen=True)
class UpdatePosted:
    tickets: int  # linked tickets the update was posted on (a public reply: the requester is told)
    agencies: int  # agencies whose admins were mailed


def post_update(actor: User, incident_id: int, *, message: str) -> UpdatePosted:
    """One update on an open incident: a public reply on every linked ticket that is not
    closed (each requester is mailed as for any reply), and a mail to the admins of every
    agency that reported it, was told about it, or subscribes to the service. The text is not
    kept in `public` (docs/decisions/2026-11-22-major-incidents.md)."""
    _require_desk(actor)
    message = clean_text("message", message)
    if not message:
        raise ValidationError(
            {"message": ValidationError(_("Write the update."), code=Code.REQUIRED)}
        )
    with transaction.atomic():
        incident = _open_incident(incident_id)
        posted = 0
        for link, state in _live_links(incident):
            if state == TicketState.CLOSED:
                continue
            support.add_message(
                link.agency, link.ticket_id, body=message, channel=Channel.WEB, actor=actor
            )
            posted += 1
        subscribed = IndexEntry.objects.filter(
            kind=IndexKind.SUBSCRIPTION,
            state__in=SUBSCRIBED_STATES,
            service_id=incident.service_id,
        ).values("agency_id")
        agencies = list(
            Agency.objects.members()
            .filter(state=AgencyState.ACTIVE)
            .filter(
                Q(pk__in=incident.notices.values("agency_id"))
                | Q(pk__in=incident.tickets.values("agency_id"))
                | Q(pk__in=subscribed)
            )
            .order_by("pk")
        )
        name = Service.objects.filter(pk=incident.service_id).values_list("name", flat=True)
        subject = _("Major incident update: %(service)s") % {"service": name.first() or ""}
        by_id = {agency.pk: agency for agency in agencies}
        for agency_id, recipients in sorted(admin_addresses(agencies).items()):
            send_after_commit(subject, message, recipients, agency=by_id[agency_id])
        record_event(
            actor,
            "incidents.incident.updated",
            incident,
            tickets=posted,
            agencies=len(agencies),
        )
    return UpdatePosted(tickets=posted, agencies=len(agencies))


def _live_links(incident: MajorIncident) -> list[tuple[IncidentTicket, str]]:
    """The incident's linked tickets whose agency's schema is there, with their index state
    (tickets gone from the index are left out)."""
    links = list(incident.tickets.select_related("agency").order_by("agency_id", "ticket_id"))
    states = {
        (agency_id, local_id): state
        for agency_id, local_id, state in IndexEntry.objects.filter(
            kind=IndexKind.TICKET, agency_id__in={link.agency_id for link in links}
        )
        .filter(local_id__in={link.ticket_id for link in links})
        .values_list("agency_id", "local_id", "state")
    }
    return [
        (link, states[(link.agency_id, link.ticket_id)])
        for link in links
        if (link.agency_id, link.ticket_id) in states and link.agency.state in LINKABLE_STATES
    ]
