"""Allocation keys and their versions (finance, central host). Versions are never edited: a
new one starts from a month on."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_errors, submit
from portal.paging import paginate
from services.costs import actions
from services.costs.models import AllocationKey, KeyVersion, KeyWeight
from services.costs.portal.access import require_reader
from services.costs.portal.forms import KeyForm, VersionForm
from tenants.models import Agency, User


def _versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=KeyVersion.objects.order_by("-valid_from").prefetch_related(
            Prefetch("excluded", queryset=Agency.objects.order_by("name")),
            Prefetch("weights", queryset=KeyWeight.objects.select_related("agency")),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    may_write = require_reader(request)
    form = KeyForm()
    status = 200
    if request.method == "POST":
        form = KeyForm(request.POST)
        created = submit(
            form,
            lambda d: actions.create_key(cast(User, request.user), d["name"], d["description"]),
        )
        if created is not None:
            messages.success(request, _("The key is created; add its first version."))
            return redirect("costs:key", key_id=created.pk)
        status = 400
    page = paginate(request, AllocationKey.objects.prefetch_related(_versions()).order_by("name"))
    return render(
        request,
        "costs/keys.html",
        {"page": page, "form": form, "may_write": may_write},
        status=status,
    )


def _version_errors(
    form: VersionForm, exc: ValidationError, weights: list[tuple[int, Decimal]]
) -> None:
    field_map = {
        "validFrom": "valid_from",
        "driverKind": "driver_kind",
        "excludedAgencies": "excluded",
        "onlySubscribers": "only_subscribers",
        "key": None,
    }
    for i, (agency_id, _weight) in enumerate(weights):
        field_map[f"weights.{i}.weight"] = f"weight_{agency_id}"
    apply_errors(form, exc, field_map)


@login_required
@require_http_methods(["GET", "POST"])
def key(request: HttpRequest, key_id: int) -> HttpResponse:
    may_write = require_reader(request)
    found = AllocationKey.objects.prefetch_related(_versions()).filter(pk=key_id).first()
    if found is None:
        raise Http404(_("No such key."))
    agencies = list(Agency.objects.members().order_by("name"))
    form = VersionForm(agencies=agencies)
    status = 200
    if request.method == "POST":
        form = VersionForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            weights = form.weight_list()
            try:
                actions.add_key_version(
                    cast(User, request.user),
                    found.pk,
                    actions.VersionInput(
                        valid_from=data["valid_from"],
                        method=data["method"],
                        driver_kind=data["driver_kind"],
                        only_subscribers=data["only_subscribers"],
                        excluded_agency_ids=[a.pk for a in data["excluded"]],
                        weights=weights,
                    ),
                )
            except ValidationError as exc:
                _version_errors(form, exc, weights)
            else:
                messages.success(request, _("The version is added."))
                return redirect("costs:key", key_id=found.pk)
        status = 400
    return render(
        request,
        "costs/key.html",
        {
            "key": found,
            "versions": list(found.versions.all()),
            "form": form,
            "may_write": may_write,
        },
        status=status,
    )
