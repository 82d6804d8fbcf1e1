"""Driver snapshots: what each agency had in a period, written to public so that the run is
one pass over public data.

`snapshot_agency(period)` runs inside one agency's schema (the fan-out task, one per agency)
and replaces that agency's rows of the period in one transaction (idempotent; an advisory
lock keeps two copies of the same task from interleaving). `snapshot_all(period)` does every
agency in-process (tests, demo, management use).

What is counted (ref 0 is the total over every pool, service or project):
- headcount: `Agency.headcount` (always written: it marks the agency as a member that period)
- licence_seats: seats held per licence pool, from the licences app's SeatSnapshot of the month,
  or the live counters when the month has no seat snapshot yet
- subscriptions: monthly fee (öre) of the agency's subscriptions that run during the month,
  per service, read from `ordering.Subscription` in the agency schema
- tickets: tickets opened during the month per service, proactive ones excluded
- visits, visit_minutes: the dispatch app's VisitDriver row (minutes on site plus travel)
- project_shares: the agency's ProjectShare weight per project
- budget (report only): the year's budget split over 12 months by largest remainder, exact
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.costs.errors import CostErrorCode as Code
from services.costs.models import DriverKind, DriverSnapshot, Period, PeriodState
from services.costs.split import largest_remainder
from services.field.models import VisitDriver
from services.licences.models import AgencyQuota, SeatSnapshot
from services.ordering.interface import Budget, Subscription
from services.projects.models import ProjectShare
from services.support.interface import Ticket
from tenants.models import Agency, AgencyQuerySet, AgencyState

SNAPSHOT_STATES = (AgencyState.ACTIVE, AgencyState.SUSPENDED)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def monthly_budget(annual_ore: int, month: int) -> int:
    """The month's part of an annual budget: the 12 parts sum to the year exactly (the first
    `annual % 12` months carry the extra öre)."""
    return largest_remainder(annual_ore, [1] * 12)[month - 1]


def _with_totals(kind: str, per_ref: dict[int, Decimal]) -> list[tuple[str, int, Decimal]]:
    rows = [(kind, ref, value) for ref, value in sorted(per_ref.items()) if ref]
    rows.append((kind, 0, sum(per_ref.values(), Decimal(0))))
    return rows


def _public_values(agency: Agency, month: dt.date) -> list[tuple[str, int, Decimal]]:

    rows = [(DriverKind.HEADCOUNT.value, 0, Decimal(agency.headcount))]
    seats = dict(
        SeatSnapshot.objects.filter(month=month, agency=agency).values_list("pool_id", "held_seats")
    )
    if not seats:
        seats = dict(AgencyQuota.objects.filter(agency=agency).values_list("pool_id", "held_seats"))
    rows += _with_totals(DriverKind.LICENCE_SEATS, {k: Decimal(v) for k, v in seats.items()})
    visit = VisitDriver.objects.filter(agency=agency, month=month).first()
    rows.append((DriverKind.VISITS.value, 0, Decimal(visit.visits if visit else 0)))
    minutes = visit.minutes_on_site + visit.minutes_travel if visit else 0
    rows.append((DriverKind.VISIT_MINUTES.value, 0, Decimal(minutes)))
    shares = ProjectShare.objects.filter(agency=agency).values_list("project_id", "weight")
    rows += _with_totals(DriverKind.PROJECT_SHARES, dict(shares))
    return rows


def _agency_values(month: dt.date) -> list[tuple[str, int, Decimal]]:
    """Read in the current agency schema: subscriptions, tickets, budget."""

    last = month_end(month)
    fees: dict[int, Decimal] = defaultdict(Decimal)
    running = (
        Subscription.objects.filter(starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month))
        .values("offering__service_id")
        .annotate(fee=Sum(F("quantity") * F("unit_monthly_ore")))
    )
    for row in running:
        fees[row["offering__service_id"]] += Decimal(row["fee"])
    rows = _with_totals(DriverKind.SUBSCRIPTIONS, fees)
    tickets: dict[int, Decimal] = defaultdict(Decimal)
    opened = (
        Ticket.objects.filter(
            created_at__date__gte=month, created_at__date__lte=last, is_proactive=False
        )
        .values("service_id")
        .annotate(n=Count("id"))
    )
    for ticket_row in opened:
        tickets[ticket_row["service_id"] or 0] += Decimal(ticket_row["n"])
    rows += _with_totals(DriverKind.TICKETS, tickets)
    budget = Budget.objects.filter(year=month.year).first()
    if budget is not None:
        rows.append(
            (DriverKind.BUDGET.value, 0, Decimal(monthly_budget(budget.amount_ore, month.month)))
        )
    return rows


def _open_period(period_id: int) -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise ValidationError(
            {"period": ValidationError(_("No such period."), code=Code.NOT_FOUND)}
        )
    if period.state == PeriodState.CLOSED:
        raise ValidationError(
            {"period": ValidationError(_("The period is closed."), code=Code.PERIOD_CLOSED)}
        )
    return period


def snapshot_agency(period_id: int) -> int:
    """Replace the current agency's driver rows of the period. Returns the rows written."""
    agency = getattr(connection, "tenant", None)
    if not isinstance(agency, Agency) or not agency.is_member:
        raise RuntimeError("driver snapshots need an agency schema")
    period = _open_period(period_id)
    values = _agency_values(period.month) + _public_values(agency, period.month)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [period.pk, agency.pk])
        DriverSnapshot.objects.filter(period=period, agency=agency).delete()
        DriverSnapshot.objects.bulk_create(
            DriverSnapshot(period=period, agency=agency, kind=kind, ref_id=ref, value=value)
            for kind, ref, value in values
        )
    return len(values)


def agencies_to_snapshot() -> AgencyQuerySet:
    return Agency.objects.members().filter(state__in=SNAPSHOT_STATES).order_by("pk")


def snapshot_all(period_id: int) -> int:
    """Every member agency in-process (tests, demo). Returns the rows written."""
    written = 0
    for agency in agencies_to_snapshot():
        with tenant_context(agency):
            written += snapshot_agency(period_id)
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper
    return written
