"""The replacement proposals on an agency's host (its admins): the devices due for
replacement, what accepting would order (or why nothing can be), accept (places the order)
or dismiss with a reason. Writes go through services.devices.replacements.actions."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from portal.paging import paginate
from services.devices.replacements import actions, policies
from services.devices.replacements.models import ProposalState, ReplacementProposal
from tenants.models import Agency, User
from tenants.viewer import of_request


class DismissForm(forms.Form):
    reason = forms.CharField(label=_l("Reason for dismissal"), max_length=500)


class AcceptForm(forms.Form):
    budget_override = forms.BooleanField(
        label=_l("Over budget: ask finance for an override"), required=False
    )


def _accept_form(pk: int, data: object = None) -> AcceptForm:
    return AcceptForm(data, prefix=f"accept-{pk}")  # type: ignore[arg-type]


def _dismiss_form(pk: int, data: object = None) -> DismissForm:
    return DismissForm(data, prefix=f"dismiss-{pk}")  # type: ignore[arg-type]


def _require_admin(request: HttpRequest) -> Agency:
    viewer = of_request(request)
    if not policies.decides_proposals(viewer):
        raise PermissionDenied(_("Only the agency's admins decide on replacements."))
    return cast(Agency, viewer.admin_agency)


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    show_all = request.GET.get("all") == "1"
    rows = policies.proposals(
        of_request(request),
        ReplacementProposal.objects.select_related("device__holder", "offering", "order"),
    )
    if not show_all:
        rows = rows.filter(state=ProposalState.PROPOSED)
    page = paginate(request, rows.order_by("due_on", "id"))
    return render(
        request,
        "replacements/proposals.html",
        {
            "page": page,
            "rows": [
                {"p": p, "accept": _accept_form(p.pk), "dismiss": _dismiss_form(p.pk)} for p in page
            ],
            "show_all": show_all,
            "proposed": ProposalState.PROPOSED,
        },
    )


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _require_admin(request)
    form = _accept_form(pk, request.POST)
    override = form.is_valid() and bool(form.cleaned_data["budget_override"])
    try:
        proposal = actions.accept_proposal(
            agency, cast(User, request.user), pk, request_budget_override=override
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("Ordered: %(offering)s for %(device)s.")
            % {"offering": proposal.offering, "device": proposal.device},
        )
    return redirect("devices:replacements")


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _require_admin(request)
    form = _dismiss_form(pk, request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.dismiss_proposal(agency, cast(User, request.user), pk, reason)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The proposal is dismissed."))
    return redirect("devices:replacements")
