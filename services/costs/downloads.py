"""Downloads of the cost split (plain HTTP: files do not travel well through GraphQL).

- GET costs/<period>/statement.<fmt>[?agency=<slug>]
  `<period>` is the month, `2026-11`, or the period's numeric id. One agency's lines of a
  period, built in the request (one agency is small): `fmt` is pdf, csv, csv-excel, xlsx,
  focus, focus-metadata (FOCUS 1.2's metadata, JSON) or sie. On an agency's host: that
  agency, for its admins, once the period's statements are published. On the central host:
  finance and platform admins, for the agency named by `?agency=` (required: a whole period
  goes through a task).
- GET costs/exports/<job id>/download
  The file of a finished whole-period export (requestCostExport), for whoever may read it
  (finance and platform admins, central host).

403 for anyone else, 400 for a bad period or agency, 404 for an unknown or unfinished job.
Both take a signed-in session or an API token (`Authorization: Bearer TOKEN`), scoped alike
(`services/costs/download_auth.py`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from services.costs.download_auth import session_or_token
from services.costs.exports import jobs
from services.costs.exports.build import ExportFormat, build
from services.costs.exports.source import (
    get_period,
    get_period_of_month,
    period_lines,
    readable_agency_ids,
)
from services.costs.models import Period, Statement, StatementState
from services.costs.policies import reads_split
from tenants.models import Agency
from tenants.viewer import host_agency_of, of_request

URL_FORMATS = {
    "pdf": ExportFormat.PDF,
    "csv": ExportFormat.CSV,
    "csv-excel": ExportFormat.CSV_EXCEL,
    "xlsx": ExportFormat.XLSX,
    "focus": ExportFormat.FOCUS,
    "focus-metadata": ExportFormat.FOCUS_METADATA,
    "sie": ExportFormat.SIE,
}


def _file(result_filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{result_filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def statement_status(period: Period, agency: Agency) -> str:
    """The agency's statement state in words ("Final (period closed)"), or "" before
    publication."""
    state = (
        Statement.objects.filter(period=period, agency=agency).values_list("state", flat=True)
    ).first()
    return str(StatementState(state).label) if state else ""


def _agency_of(request: HttpRequest, host: Agency | None) -> Agency:
    if host is not None:
        slug = request.GET.get("agency")
        if slug and slug != host.slug:
            raise PermissionDenied(_("An agency reads only its own statement."))
        return host
    slug = request.GET.get("agency")
    if not slug:
        raise ValidationError(_("Name the agency (?agency=slug); export a whole period instead."))
    agency = Agency.objects.members().filter(slug=slug).first()
    if agency is None:
        raise ValidationError(_("No such agency."))
    return agency


@never_cache
@require_GET
@session_or_token
def statement_download(request: HttpRequest, period_id: int, fmt: str) -> HttpResponse:
    """One agency's lines of a period as a file (see the module docstring)."""
    return _statement(request, str(period_id), fmt)


@never_cache
@require_GET
@session_or_token
def statement_download_of_month(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    """The same, the period named by its month (`2026-11`)."""
    return _statement(request, month, fmt)


def _statement(request: HttpRequest, period_ref: str, fmt: str) -> HttpResponse:
    export_format = URL_FORMATS.get(fmt)
    if export_format is None:
        raise Http404
    host = host_agency_of(request)
    try:
        period = (
            get_period(int(period_ref)) if period_ref.isdigit() else get_period_of_month(period_ref)
        )
        readable = readable_agency_ids(of_request(request), period)  # PermissionDenied: 403
        agency = _agency_of(request, host)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    if readable is not None and agency.pk not in readable:
        raise PermissionDenied(_("An agency reads only its own statement."))
    lines = period_lines(period, [agency.pk])
    if not lines:
        raise Http404(_("The agency has no lines in this period."))
    try:
        result = build(
            export_format,
            lines,
            period=period.month,
            stem=f"costs-{period.month:%Y-%m}-{agency.slug}",
            status=statement_status(period, agency),
        )
    except ValidationError as exc:  # e.g. SIE without central IT's organisation number
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    return _file(result.filename, result.content_type, result.content)


@never_cache
@require_GET
@session_or_token
def export_download(request: HttpRequest, job_id: str) -> HttpResponse:
    """The file of a finished whole-period export."""
    if not reads_split(of_request(request)):
        raise PermissionDenied(_("This needs the finance role, on the central host."))
    job = jobs.get_job(job_id)
    content = jobs.file_of(job) if job is not None else None
    if job is None or content is None:
        raise Http404(_("No such export, or it is not finished."))
    return _file(job.filename, job.content_type, content)
