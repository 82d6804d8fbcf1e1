"""Whole-period exports (finance, central host): the form queues a task; the job's page
asks every second (htmx) until the file is ready, then offers the download."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.costs import actions
from services.costs.exports import jobs
from services.costs.models import Period
from services.costs.portal.access import require_reader
from services.costs.portal.central import period_or_404
from services.costs.portal.forms import ExportForm
from tenants.models import User


@login_required
@require_POST
def request_export(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
        return redirect("costs:period", period_id=found.pk)
    job = actions.request_export(cast(User, request.user), found.pk, form.cleaned_data["format"])
    return redirect("costs:export", job_id=job.id)


@login_required
def export_job(request: HttpRequest, job_id: str) -> HttpResponse:
    require_reader(request)
    job = jobs.get_job(job_id)
    if job is None:
        raise Http404(_("No such export, or it has expired."))
    period = Period.objects.filter(pk=job.period_id).first()
    template = "costs/_export.html" if request.headers.get("HX-Request") else "costs/export.html"
    return render(request, template, {"job": job, "period": period})
