"""Cost-split exports and pool imports through GraphQL (services/costs/exports/, imports/).

- requestCostExport (finance, central host): queue the export of a whole period in a format;
  returns the job, which the caller polls with costExport(id) until its state is DONE, then
  downloads from its downloadUrl. Nothing long runs in the request.
- costExport(id) (finance and platform admins, central host).
- importCostPools (finance, central host): a CSV or XLSX file of pools (base64), created all
  or none; a bad file comes back as one error per line at fault (field "file", message
  "line N: column: reason").

One agency's statement (PDF, CSV, XLSX, FOCUS, SIE) is a plain download, see
services/costs/downloads.py; agency admins read their own there.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import graphene
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, require_central, require_central_for_mutation
from services.costs import actions, imports
from services.costs.errors import CostErrorCode
from services.costs.exports import jobs
from services.costs.exports.build import ExportFormat
from services.costs.models import Period
from services.validation import field_error, parse_month
from tenants.roles import Role

CostExportFormat = graphene.Enum.from_enum(ExportFormat, name="CostExportFormat")


class CostExportState(graphene.Enum):
    QUEUED = jobs.JobState.QUEUED
    RUNNING = jobs.JobState.RUNNING
    DONE = jobs.JobState.DONE
    FAILED = jobs.JobState.FAILED


class CostExportType(graphene.ObjectType):
    """A whole-period export: poll it until DONE, then download the file."""

    class Meta:
        name = "CostExport"

    id = graphene.ID(required=True)
    month = graphene.String(required=True, description="YYYY-MM")
    format = graphene.Field(CostExportFormat, required=True)
    state = graphene.Field(CostExportState, required=True)
    progress = graphene.Int(required=True, description="Percent done, 0..100.")
    filename = graphene.String(description="Set when done.")
    size = graphene.Int(description="Bytes, when done.")
    download_url = graphene.String(description="Where to GET the file, when done.")
    error = graphene.String(description="Why it failed.")
    created_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()

    @classmethod
    def of(cls, job: jobs.ExportJob, month: dt.date | None = None) -> CostExportType:
        if month is None:
            month = Period.objects.filter(pk=job.period_id).values_list("month", flat=True).first()
        url = None
        if job.state == jobs.JobState.DONE:
            try:
                url = reverse("cost-export-download", args=[job.id])
            except NoReverseMatch:  # the lead adds the URL pattern
                url = f"/costs/exports/{job.id}/download"
        return cls(
            id=job.id,
            month=f"{month:%Y-%m}" if month else "",
            format=ExportFormat(job.format),
            state=job.state,
            progress=job.progress,
            filename=job.filename or None,
            size=job.size or None,
            download_url=url,
            error=job.error or None,
            created_at=dt.datetime.fromisoformat(job.created_at),
            finished_at=dt.datetime.fromisoformat(job.finished_at) if job.finished_at else None,
        )


def period_of_month(text: str, field_name: str = "month") -> Period:
    month = parse_month(text, codes=CostErrorCode, field=field_name)
    period = Period.objects.filter(month=month).first()
    if period is None:
        raise field_error(field_name, _("No period for that month."), CostErrorCode.NOT_FOUND)
    return period


class CostExportQueries(graphene.ObjectType):
    cost_export = graphene.Field(
        CostExportType,
        id=graphene.ID(required=True),
        description="A whole-period export (finance, central host); null when unknown or "
        "expired (exports are kept a day).",
    )

    def resolve_cost_export(self, info, id):
        require_central(info, Role.FINANCE, Role.PLATFORM_ADMIN)
        job = jobs.get_job(id)
        return CostExportType.of(job) if job is not None else None


class CostExportMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = CostErrorCode
    error_type_name = "CostError"

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, Role.FINANCE)


class RequestCostExport(CostExportMutation):
    """Queue the export of a whole period (finance, central host); poll costExport(id)."""

    class Arguments:
        month = graphene.String(required=True, description="YYYY-MM")
        format = CostExportFormat(required=True)

    export = graphene.Field(CostExportType)

    @classmethod
    def perform(cls, info, month, format):
        period = period_of_month(month)
        job = actions.request_export(current_user(info), period.pk, ExportFormat(format).value)
        return {"export": CostExportType.of(job, period.month)}


class ImportCostPools(CostExportMutation):
    """Create the pools of a CSV or XLSX file in an open period: all of them, or none."""

    class Arguments:
        month = graphene.String(required=True, description="YYYY-MM")
        filename = graphene.String(required=True, description="Ends in .csv or .xlsx.")
        content_base64 = graphene.String(required=True, description="The file, base64.")

    count = graphene.Int(description="Pools created.")

    @classmethod
    def perform(cls, info, month, filename, content_base64):
        period = period_of_month(month)
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise field_error("contentBase64", _("Not base64."), CostErrorCode.INVALID) from exc
        pools = imports.import_pools(current_user(info), period.pk, content, filename)
        return {"count": len(pools)}


class CostExportMutations(graphene.ObjectType):
    request_cost_export = RequestCostExport.Field()
    import_cost_pools = ImportCostPools.Field()
