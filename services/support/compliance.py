"""Monthly agreement compliance: per agency, agreement and priority, how many tickets met and
breached their clocks, and the median and 90th percentile of the business minutes they took.
Served through GraphQL (api/support/compliance.py) and as CSV (`compliance_csv` below).

Which tickets: those created in the month (local time, Europe/Stockholm), with an agreement,
not proactive (central IT opened them before anyone asked: they do not count against the
agreement).

As of when: every ticket's clocks are replayed **as of the moment the report runs** (not as of
the month's end), so a ticket created on the 31st and resolved on the 2nd counts as met or
breached by its real outcome. A breach is final (a clock cannot un-breach); a met clock can
only change if the ticket is reopened. A clock that is still running or paused and has not
reached its target is *pending*: the figures of a month settle as its tickets are resolved.

Figures per clock (first response, resolution):
- met: stopped within the target; breached: reached the target before it stopped (stopped
  late, or still running past it); pending: neither (running, paused, or without a target).
- median and p90: nearest-rank percentiles (the value at rank ceil(p * n / 100) of the sorted
  values) of the elapsed business minutes of the clocks that have stopped; none without any.
Per ticket: met when every clock with a target was met; breached when any clock breached.

Cost: one pass per agency (its schema), with a constant number of queries whatever the number
of tickets (tickets with their agreement, one query for all their clock events, and each
agreement's calendar once per agency).
"""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tenants.utils import get_public_schema_name, tenant_context

from services import validation
from services.calendars.clock import ClockState, ClockStatus
from services.calendars.hours import CalendarSpec
from services.catalogue.models import Agreement, AgreementKind
from services.support import clocks, policies
from services.support.errors import SupportErrorCode as Code
from services.support.models import ClockEvent, ClockKind, Ticket
from tenants.access import Identity
from tenants.models import Agency, AgencyState
from tenants.viewer import Viewer

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

REPORT_TIME_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")
# Agencies with a schema to read: active and suspended (onboarding ones have no tickets yet).
READABLE_STATES = (AgencyState.ACTIVE, AgencyState.SUSPENDED)


# --- who may read which agencies ----------------------------------------------------------------


def agencies_for(user: Identity, host: Agency | None, slug: str | None = None) -> list[Agency]:
    """The agencies whose figures `user` may read on this host (`host`: the agency served, None
    on the central host), narrowed to `slug` when given. Agency admins read their own agency on
    its host; platform admins, service-desk agents and finance read any agency centrally."""
    viewer = Viewer.of(user, host)
    if host is not None:
        if not policies.reads_agency_compliance(viewer):
            raise PermissionDenied(_("Only the agency's admins read its compliance figures."))
        if slug and slug != host.slug:
            raise PermissionDenied(_("An agency reads only its own figures."))
        return [host]
    if not policies.reads_all_compliance(viewer):
        raise PermissionDenied(_("This needs a central IT role, on the central host."))
    agencies = Agency.objects.members().filter(state__in=READABLE_STATES).order_by("slug")
    if slug:
        agencies = agencies.filter(slug=slug)
        if not agencies.exists():
            raise ValidationError(
                {"agency": ValidationError(_("No such agency."), code=Code.NOT_FOUND)}
            )
    return list(agencies)


# --- months and percentiles -----------------------------------------------------------------


def parse_month(text: str | None) -> dt.date:
    """ "YYYY-MM" -> the first day of that month (within the sensible range of dates)."""
    return validation.parse_month(text, codes=Code)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month in local time (Europe/Stockholm), as aware datetimes."""
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    start = dt.datetime.combine(month.replace(day=1), dt.time(), tzinfo=REPORT_TIME_ZONE)
    return start, dt.datetime.combine(following, dt.time(), tzinfo=REPORT_TIME_ZONE)


def nearest_rank(values: Iterable[int], percent: int) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(percent * n / 100) (at least 1) of
    the sorted values; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-percent * len(ordered) // 100))
    return ordered[rank - 1]


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockFigures:
    met: int
    breached: int
    pending: int  # running or paused within the target, or without a target
    median_minutes: int | None  # of the stopped clocks
    p90_minutes: int | None


@dataclass(frozen=True)
class ComplianceRow:
    agency: Agency
    agreement: Agreement
    priority: int
    tickets: int
    met: int  # every clock with a target met
    breached: int  # some clock breached
    response: ClockFigures
    resolution: ClockFigures


@dataclass(frozen=True)
class ComplianceReport:
    month: dt.date
    as_of: dt.datetime
    rows: list[ComplianceRow]


def _figures(statuses: list) -> ClockFigures:
    met = sum(1 for s in statuses if s.state == ClockState.MET)
    breached = sum(1 for s in statuses if s.state == ClockState.BREACHED)
    stopped = [s.elapsed_minutes for s in statuses if s.is_stopped]
    return ClockFigures(
        met=met,
        breached=breached,
        pending=len(statuses) - met - breached,
        median_minutes=nearest_rank(stopped, 50),
        p90_minutes=nearest_rank(stopped, 90),
    )


def _row(
    agency: Agency,
    agreement: Agreement,
    priority: int,
    replayed: list[dict[str, ClockStatus]],
) -> ComplianceRow:
    def ticket_met(st: dict[str, ClockStatus]) -> bool:
        timed = [s for s in st.values() if s.target_minutes is not None]
        return bool(timed) and all(s.state == ClockState.MET for s in timed)

    return ComplianceRow(
        agency=agency,
        agreement=agreement,
        priority=priority,
        tickets=len(replayed),
        met=sum(1 for st in replayed if ticket_met(st)),
        breached=sum(
            1 for st in replayed if any(s.state == ClockState.BREACHED for s in st.values())
        ),
        response=_figures([st[ClockKind.RESPONSE] for st in replayed]),
        resolution=_figures([st[ClockKind.RESOLUTION] for st in replayed]),
    )


def _replayed(
    agency: Agency, month: dt.date, now: dt.datetime
) -> Iterator[tuple[Ticket, Agreement, dict[str, ClockStatus]]]:
    """Each counted ticket of `agency` created in `month`, with its agreement and its clocks
    replayed as of `now` (a constant number of queries: see the module's doc)."""
    start, end = month_bounds(month)
    # agreement id -> its calendar's spec: each agreement's calendar read once per agency
    specs: dict[int, CalendarSpec] = {}
    with tenant_context(agency):
        tickets = (
            Ticket.objects.filter(
                created_at__gte=start,
                created_at__lt=end,
                is_proactive=False,
                agreement__isnull=False,
            )
            .select_related("agreement")
            .prefetch_related(
                Prefetch("clock_events", queryset=ClockEvent.objects.order_by("at", "id"))
            )
            .order_by("id")
        )
        for ticket in tickets:
            agreement = ticket.agreement
            if agreement is None:  # never: the query wants one
                continue
            spec = specs.get(agreement.pk)
            if spec is None:
                spec = specs[agreement.pk] = clocks.calendar_spec(agency, ticket)
            replayed = clocks.statuses(
                agency, ticket, now=now, spec=spec, events=ticket.clock_events.all()
            )
            yield ticket, agreement, replayed


def agency_rows(agency: Agency, month: dt.date, *, now: dt.datetime) -> list[ComplianceRow]:
    """One agency's rows for `month`, ordered by agreement name and priority."""
    groups: dict[tuple[int, int], list[dict]] = defaultdict(list)
    agreements: dict[int, Agreement] = {}
    for ticket, agreement, replayed in _replayed(agency, month, now):
        agreements[agreement.pk] = agreement
        groups[(agreement.pk, ticket.priority)].append(replayed)
    keys = sorted(groups, key=lambda k: (agreements[k[0]].name, k[0], k[1]))
    return [_row(agency, agreements[a], p, groups[(a, p)]) for a, p in keys]


@dataclass(frozen=True)
class Breach:
    """A ticket under an OLA that breached a clock: what the review actions are about."""

    agency: Agency
    ticket: Ticket
    clocks: list[str]  # the clocks breached (ClockKind values)


def ola_breaches(agency: Agency, month: dt.date, *, now: dt.datetime) -> list[Breach]:
    """The tickets of `agency` created in `month`, under an OLA, that breached a clock."""
    out = []
    for ticket, agreement, replayed in _replayed(agency, month, now):
        breached = [k for k, s in replayed.items() if s.state == ClockState.BREACHED]
        if breached and agreement.kind == AgreementKind.OLA:
            out.append(Breach(agency, ticket, breached))
    return out


def monthly_report(
    agencies: Iterable[Agency], month: dt.date, *, now: dt.datetime | None = None
) -> ComplianceReport:
    """The rows of every agency in `agencies` (in that order), as of `now` (default: now)."""
    now = now or timezone.now()
    rows = []
    for agency in agencies:
        rows.extend(agency_rows(agency, month, now=now))
    return ComplianceReport(month=month, as_of=now, rows=rows)


# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = (
    "month",
    "agency",
    "agreement",
    "agreement_kind",
    "priority",
    "tickets",
    "met",
    "breached",
    "response_met",
    "response_breached",
    "response_pending",
    "response_median_minutes",
    "response_p90_minutes",
    "resolution_met",
    "resolution_breached",
    "resolution_pending",
    "resolution_median_minutes",
    "resolution_p90_minutes",
)


def _cell(text: str) -> str:
    """Text that a spreadsheet would take for a formula is quoted with a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _blank(value: int | None) -> str | int:
    return "" if value is None else value


def write_csv(report: ComplianceReport, out: SupportsWrite[str]) -> None:
    """The report as CSV (comma-separated, UTF-8, a header row of stable column names)."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        clocks_ = (row.response, row.resolution)
        writer.writerow(
            [
                f"{report.month:%Y-%m}",
                row.agency.slug,
                _cell(row.agreement.name),
                row.agreement.kind,
                row.priority,
                row.tickets,
                row.met,
                row.breached,
                *(
                    value
                    for c in clocks_
                    for value in (
                        c.met,
                        c.breached,
                        c.pending,
                        _blank(c.median_minutes),
                        _blank(c.p90_minutes),
                    )
                ),
            ]
        )


def _host_agency(request: HttpRequest) -> Agency | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return None
    return tenant


@never_cache
@require_GET
@login_required
def compliance_csv(request: HttpRequest) -> HttpResponse:
    """GET /reports/compliance.csv?month=YYYY-MM[&agency=slug]: the report as a download, for
    whoever may read it through GraphQL (403 for anyone else, 400 for a bad month or agency)."""
    slug = request.GET.get("agency") or None
    try:
        # PermissionDenied first (403, whatever else is wrong), then bad input (400).
        agencies = agencies_for(request.user, _host_agency(request), slug)
        month = parse_month(request.GET.get("month"))
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    report = monthly_report(agencies, month)
    name = f"compliance-{month:%Y-%m}" + (f"-{agencies[0].slug}" if slug else "") + ".csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_csv(report, response)
    return response
