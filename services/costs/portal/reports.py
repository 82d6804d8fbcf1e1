"""Finance's charts of a period (central host): cost per agency and per service, the trend
over the months, and the supplier concentration. Server-drawn SVG with a table each."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from services.catalogue.suppliers import supplier_concentration
from services.costs.portal import charts
from services.costs.portal.access import require_reader
from services.costs.portal.central import period_or_404
from services.costs.selectors import GroupBy, ReportRow, cost_report

TREND_MONTHS = 12


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def monthly_totals(rows: Iterable[ReportRow]) -> list[tuple[str, int]]:
    """The report's rows summed per month, oldest first."""
    totals: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        totals[row.month] += row.amount_ore
    return [(f"{month:%Y-%m}", totals[month]) for month in sorted(totals)]


@login_required
def report(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    by_agency = sorted(
        cost_report(found, GroupBy.AGENCY), key=lambda r: (-r.amount_ore, r.agency_name)
    )
    by_service = sorted(
        cost_report(found, GroupBy.SERVICE), key=lambda r: (-r.amount_ore, r.service_name)
    )
    trend = monthly_totals(cost_report(found, GroupBy.AGENCY, months=TREND_MONTHS))
    suppliers = supplier_concentration(month_end(found.month))
    return render(
        request,
        "costs/report.html",
        {
            "period": found,
            "by_agency": by_agency,
            "agency_chart": charts.bars([(r.agency_name, r.amount_ore) for r in by_agency]),
            "by_service": by_service,
            "service_chart": charts.bars([(r.service_name, r.amount_ore) for r in by_service]),
            "trend": trend,
            "trend_chart": charts.columns(trend),
            "suppliers": suppliers,
            "supplier_chart": charts.bars(
                [(s.supplier.name, s.annual_ore) for s in suppliers.suppliers]
            ),
        },
    )
