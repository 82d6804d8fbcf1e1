"""The demo has work to show whatever day and hour `make run` first loads it.

The demo federation is loaded through `demo.loader.load_demo` (what `make run` calls) at the
tests' instant; `make test-dates` runs it at every awkward instant of tests/dates.py (just
after New Year, the first and last day of a month, a leap day, both daylight-saving nights,
the eves, one minute before and after midnight, 2027 and 2030). Only two
county boards are onboarded, both of them boards the demo gives field visits to: loading all
21 takes 35 to 45 seconds per instant, two about six.

Every queue must then have open items in at least two agencies (here: in both): orders
awaiting fulfilment, open tickets, visits to dispatch, upcoming hub bookings and replacement
proposals. The cost pages must show a published month (last month, preliminary: statements
out, disputes possible) and an open one (the current month, not yet published).
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from demo import loader as demo
from services.costs.models import Period, PeriodState
from services.crossindex.models import IndexEntry, IndexKind
from services.devices.replacements.models import ProposalState, ReplacementProposal
from services.field.visits.models import VisitState
from services.hubs.bookings.models import Booking, BookingState
from services.ordering.models import OrderState
from services.support import senders
from services.support.models import OPEN_TICKET_STATES

pytestmark = pytest.mark.django_db

BOARDS = ("stockholm", "uppsala")


def _agencies_with(kind: str, states, **extra) -> set[str]:
    rows = IndexEntry.objects.filter(
        kind=kind, state__in=states, agency__is_demo=True, **extra
    ).values_list("agency__slug", flat=True)
    return set(rows)


def _agencies_where(agencies, model, **filters) -> set[str]:
    found = set()
    for agency in agencies:
        with tenant_context(agency):
            if model.objects.filter(**filters).exists():
                found.add(agency.slug)
    return found


def test_every_queue_has_open_work_in_several_agencies(monkeypatch, federation):
    # (`federation`: central IT and the template exist once per session, not once per test)
    boards = [row for row in demo.COUNTY_BOARDS if row[0] in BOARDS]
    monkeypatch.setattr(demo, "COUNTY_BOARDS", boards)
    # given the demo loaded for the first time at this instant
    agencies = demo.load_demo()
    now = timezone.now()
    # then central IT's queues have work from at least two agencies
    queues = {
        "orders awaiting fulfilment": _agencies_with(
            IndexKind.ORDER, [OrderState.AWAITING_FULFILMENT, OrderState.PARTIALLY_FULFILLED]
        ),
        "open tickets": _agencies_with(IndexKind.TICKET, OPEN_TICKET_STATES),
        "visits to dispatch": _agencies_with(IndexKind.VISIT, [VisitState.REQUESTED]),
        "upcoming hub bookings": _agencies_where(
            agencies, Booking, state=BookingState.BOOKED, starts_at__gt=now
        ),
        "replacement proposals": _agencies_where(
            agencies, ReplacementProposal, state=ProposalState.PROPOSED
        ),
    }
    empty = {queue: sorted(slugs) for queue, slugs in queues.items() if len(slugs) < 2}
    assert not empty, f"queues with open work in fewer than two agencies: {empty}"
    # and the cost pages have closed months, last month published and this month open
    states = set(Period.objects.values_list("state", flat=True))
    assert {PeriodState.CLOSED, PeriodState.PRELIMINARY, PeriodState.OPEN} <= states
    current, last = Period.objects.order_by("-month")[:2]
    assert current.month == timezone.localdate().replace(day=1)
    assert current.state == PeriodState.OPEN and current.published_at is None
    assert last.state == PeriodState.PRELIMINARY and last.published_at is not None
    # and every demo person can be reached, and found, by e-mail and by SMS (`try_channel`)
    for agency in agencies:
        for suffix in ("admin", "staff"):
            by_mail = senders.by_email(f"{agency.slug}-{suffix}@demo.samnav.invalid")
            by_sms = senders.by_phone(demo.demo_phone(agency.slug, suffix))
            assert by_mail.agency == by_sms.agency == agency
            assert by_mail.person.pk == by_sms.person.pk
