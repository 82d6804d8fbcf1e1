"""Reading tickets for display: one ticket with everything its page or type reads, loaded
inside its agency's schema (so it can be shown from the central host too)."""

from __future__ import annotations

from django_tenants.utils import tenant_context

from services.support.models import Ticket
from tenants.models import Agency


def load_ticket(agency: Agency, pk: int) -> Ticket | None:
    with tenant_context(agency):
        ticket = (
            Ticket.objects.select_related("requester", "service", "device")
            .prefetch_related("messages__attachments", "messages__author_person", "clock_events")
            .filter(pk=pk)
            .first()
        )
    if ticket is not None:
        ticket._samnav_agency = agency
    return ticket
