"""Write paths of major incidents: central IT resolves one, with a note posted to every linked
ticket (a public reply, in the ticket's own agency schema, through support's actions) and,
when asked, the tickets resolved too. One transaction: all of it or nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.models import Service
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents import policies
from services.incidents.errors import IncidentErrorCode as Code
from services.incidents.models import IncidentState, MajorIncident
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
