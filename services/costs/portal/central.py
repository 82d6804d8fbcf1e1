"""Finance's pages of a period (central host): periods, pools (added one by one or imported
from a file), drivers, the run with its progress, the lines with their trace, closing, and
corrections of closed periods (statements and disputes: statements.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import submit
from portal.paging import paginate
from services.costs import actions, imports
from services.costs.models import (
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    DisputeState,
    Period,
    PeriodState,
    RunState,
)
from services.costs.portal.access import require_reader
from services.costs.portal.forms import (
    POOL_FIELDS,
    CorrectionForm,
    ExportForm,
    ImportForm,
    PeriodForm,
    PoolForm,
    to_ore,
)
from tenants.models import Agency, User

FINISHED = (RunState.DONE, RunState.FAILED)


def period_or_404(period_id: int) -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise Http404(_("No such period."))
    return period


def _last_run(period: Period) -> AllocationRun | None:
    return AllocationRun.objects.filter(period=period).order_by("-created_at", "-id").first()


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- periods ----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    may_write = require_reader(request)
    form = PeriodForm()
    status = 200
    if request.method == "POST":
        form = PeriodForm(request.POST)
        created = submit(
            form, lambda d: actions.create_period(cast(User, request.user), d["month"])
        )
        if created is not None:
            messages.success(request, _("The period is created."))
            return redirect("costs:period", period_id=created.pk)
        status = 400
    page = paginate(
        request,
        Period.objects.annotate(
            pool_count=Count("pools", distinct=True),
            open_disputes=Count(
                "disputes", filter=Q(disputes__state=DisputeState.OPEN), distinct=True
            ),
        ).order_by("-month"),
    )
    return render(
        request,
        "costs/periods.html",
        {"page": page, "form": form, "may_write": may_write},
        status=status,
    )


@login_required
def period(request: HttpRequest, period_id: int) -> HttpResponse:
    may_write = require_reader(request)
    found = period_or_404(period_id)
    pools = paginate(
        request,
        CostPool.objects.filter(period=found)
        .select_related("key", "service", "supplier", "project", "corrects__period")
        .order_by("name", "id"),
    )
    counts = AllocationLine.objects.filter(period=found).aggregate(lines=Count("id"))
    open_disputes = Dispute.objects.filter(period=found, state=DisputeState.OPEN).count()
    return render(
        request,
        "costs/period.html",
        {
            "period": found,
            "page": pools,
            "run": _last_run(found),
            "line_count": counts["lines"],
            "open_disputes": open_disputes,
            "may_write": may_write,
            "is_open": found.state == PeriodState.OPEN,
            "is_preliminary": found.state == PeriodState.PRELIMINARY,
            "is_closed": found.state == PeriodState.CLOSED,
            "export_form": ExportForm(),
        },
    )


# --- pools ------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def pool_new(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    form = PoolForm()
    status = 200
    if request.method == "POST":
        form = PoolForm(request.POST)

        def create(data: dict[str, Any]) -> CostPool:
            return actions.create_pool(
                cast(User, request.user),
                found.pk,
                actions.PoolInput(
                    name=data["name"],
                    category=data["category"],
                    amount_ore=cast(int, to_ore(data["amount"])),
                    key_id=data["key"].pk,
                    service_id=data["service"].pk if data["service"] else None,
                    supplier_id=data["supplier"].pk if data["supplier"] else None,
                    project_id=data["project"].pk if data["project"] else None,
                    source_reference=data["source_reference"],
                ),
            )

        if submit(form, create, POOL_FIELDS) is not None:
            messages.success(request, _("The pool is added."))
            return redirect("costs:period", period_id=found.pk)
        status = 400
    return render(request, "costs/pool_form.html", {"period": found, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pool_import(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    form = ImportForm()
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)

        def load(data: dict[str, Any]) -> list[CostPool]:
            upload = data["file"]
            return imports.import_pools(
                cast(User, request.user), found.pk, upload.read(), upload.name
            )

        created = submit(form, load, {"period": None})
        if created is not None:
            messages.success(request, _("%(count)d pools are imported.") % {"count": len(created)})
            return redirect("costs:period", period_id=found.pk)
        status = 400
    return render(request, "costs/pool_import.html", {"period": found, "form": form}, status=status)


# --- drivers, runs, publishing, closing -------------------------------------------------------
def _period_action(
    request: HttpRequest,
    period_id: int,
    action: Callable[[Any, int], object],
    done_message: str,
) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    try:
        action(request.user, found.pk)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, done_message)
    return redirect("costs:period", period_id=found.pk)


@login_required
@require_POST
def snapshot(request: HttpRequest, period_id: int) -> HttpResponse:
    return _period_action(
        request, period_id, actions.request_driver_snapshot, _("The drivers are being counted.")
    )


@login_required
@require_POST
def run(request: HttpRequest, period_id: int) -> HttpResponse:
    return _period_action(request, period_id, actions.request_run, _("The split is queued."))


@login_required
@require_POST
def publish(request: HttpRequest, period_id: int) -> HttpResponse:
    return _period_action(
        request, period_id, actions.publish_statements, _("The statements are published.")
    )


@login_required
@require_POST
def close(request: HttpRequest, period_id: int) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        if not require_reader(request):  # only finance closes: 403 for everyone else
            raise PermissionDenied(_("Only finance closes a period."))
        found = period_or_404(period_id)
        messages.error(
            request, _("Confirm that you understand that closing the period cannot be undone.")
        )
        return redirect("costs:period", period_id=found.pk)
    return _period_action(request, period_id, actions.close_period, _("The period is closed."))


@login_required
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The run's state as a fragment; htmx asks again every second until it is finished."""
    require_reader(request)
    found = AllocationRun.objects.select_related("period").filter(pk=run_id).first()
    if found is None:
        raise Http404(_("No such run."))
    return render(request, "costs/_run.html", {"run": found, "period": found.period})


# --- lines ------------------------------------------------------------------------------------
@login_required
def lines(request: HttpRequest, period_id: int) -> HttpResponse:
    require_reader(request)
    found = period_or_404(period_id)
    qs = (
        AllocationLine.objects.filter(period=found)
        .select_related("pool", "key_version__key", "agency", "service")
        .order_by("pool__name", "pool_id", "agency__name", "id")
    )
    agency_slug = request.GET.get("agency", "")
    pool_id = request.GET.get("pool", "")
    query = []
    if agency_slug:
        qs = qs.filter(agency__slug=agency_slug)
        query.append(f"agency={agency_slug}")
    if pool_id.isdigit():
        qs = qs.filter(pool_id=int(pool_id))
        query.append(f"pool={pool_id}")
    else:
        pool_id = ""
    page = paginate(request, qs)
    return render(
        request,
        "costs/lines.html",
        {
            "period": found,
            "page": page,
            "agencies": Agency.objects.members().order_by("name").only("slug", "name"),
            "pools": CostPool.objects.filter(period=found).order_by("name").only("pk", "name"),
            "agency_slug": agency_slug,
            "pool_id": pool_id,
            "query": "&".join(query),
            "is_closed": found.state == PeriodState.CLOSED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, line_id: int) -> HttpResponse:
    """Book a correction of a closed period's line into the next open period."""
    may_write = require_reader(request)
    line = (
        AllocationLine.objects.select_related("period", "pool", "agency", "key_version__key")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise Http404(_("No such line."))
    form = CorrectionForm()
    status = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        booked = submit(
            form,
            lambda d: actions.book_correction(
                cast(User, request.user), line.pk, to_ore(d["amount"]) or 0, d["reason"]
            ),
            {"amountOre": "amount", "line": None},
        )
        if booked is not None:
            messages.success(request, _("The correction is booked."))
            return redirect("costs:period", period_id=booked.period_id)
        status = 400
    return render(
        request,
        "costs/correction.html",
        {"line": line, "form": form, "may_write": may_write},
        status=status,
    )


# --- statements and disputes ------------------------------------------------------------------
