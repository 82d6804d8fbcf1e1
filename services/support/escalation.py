"""Escalation: a warning at 75 % of a target and a breach at 100 % notify the assignee's
group, and for breaches the agency's admins too. Each fires once per clock (a unique
constraint on the recorded event), found by one indexed query over the cross-agency index."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.crossindex.models import IndexEntry, IndexKind
from services.people.notify import admin_addresses, send_after_commit
from services.support import clocks
from services.support.email_out import reference
from services.support.models import OPEN_TICKET_STATES, ClockEvent, ClockEventKind, Ticket
from tenants.models import Agency, AgencyState


def group_address(group: str) -> str:
    return getattr(settings, "SAMNAV_GROUP_EMAILS", {}).get(group, f"{group}@samnav.invalid")


def due_for_escalation(now: dt.datetime) -> QuerySet[IndexEntry]:
    return (
        IndexEntry.objects.filter(
            kind=IndexKind.TICKET, state__in=OPEN_TICKET_STATES, agency__state=AgencyState.ACTIVE
        )
        .filter(Q(escalation=0, warn_at__lte=now) | Q(escalation__lt=2, due_at__lte=now))
        .select_related("agency")
        .order_by("due_at", "id")
    )


def escalate(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"warned": 0, "breached": 0}
    for entry in due_for_escalation(now):
        for kind in escalate_ticket(entry.agency, entry.local_id, now):
            counts[kind] += 1
    return counts


def escalate_ticket(agency: Agency, ticket_id: int, now: dt.datetime) -> list[str]:
    fired: list[str] = []
    with tenant_context(agency), transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return fired
        which = clocks.running_clock(ticket)
        status = clocks.statuses(agency, ticket, now=now)[which]
        for kind, reached, at in (
            (ClockEventKind.WARNED, status.warned, status.warning_at),
            (ClockEventKind.BREACHED, status.breached, status.breach_at),
        ):
            if not reached:
                continue
            try:
                with transaction.atomic():
                    ClockEvent.objects.create(ticket=ticket, clock=which, kind=kind, at=at or now)
            except IntegrityError:
                continue  # fired before
            fired.append(str(kind))
            _notify(agency, ticket, which, kind)
        clocks.index(agency, ticket)
    return fired


def _notify(agency: Agency, ticket: Ticket, clock: str, kind: str) -> None:
    if kind == ClockEventKind.BREACHED:  # noqa: SIM108 (xgettext reads one flag per line)
        what = _("breached")
    else:
        # xgettext:no-python-format
        what = _("at 75 % of its target")
    subject = _("Ticket %(ref)s of %(agency)s: %(clock)s clock %(what)s") % {
        "ref": reference(agency, ticket.pk),
        "agency": agency.name,
        "clock": clock,
        "what": what,
    }
    body = _("Priority %(priority)s, state %(state)s. Open it in Samnav's service-desk queue.") % {
        "priority": ticket.priority,
        "state": ticket.get_state_display(),
    }
    send_after_commit(subject, body, [group_address(ticket.group)])
    if kind == ClockEventKind.BREACHED:  # noqa: SIM108 (xgettext reads one flag per line)
        send_after_commit(
            subject, body, admin_addresses([agency]).get(agency.pk, []), agency=agency
        )
