"""Portal pages of the agencies (central host, platform admins): the list, onboarding a new
agency, and per agency its onboarding steps, admins, suspension and reactivation. Every form
posts through services/agencies/actions.py (onboard, suspend, reactivate) or
services/agencies/grants.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods
from django_tenants.utils import schema_exists

from portal.forms import submit
from portal.nav import is_central_host
from portal.paging import paginate
from services.agencies import actions, grants, policies
from tenants.models import Agency, AgencyQuerySet, AgencyState, RoleGrant, User
from tenants.roles import Role
from tenants.viewer import of_request

LEVELS = [(n, str(n)) for n in (1, 2, 3, 4)]


def require_platform_admin(request: HttpRequest) -> None:
    if not is_central_host(request) or not policies.administers_platform(of_request(request)):
        raise PermissionDenied(_("Only a platform admin may open this page."))


class OnboardForm(forms.Form):
    name = forms.CharField(label=_l("Name"), max_length=200)
    slug = forms.CharField(
        label=_l("Slug"),
        max_length=40,
        help_text=_l(
            "The agency's host name: <slug>.<base domain>. Lower-case a-z, digits, hyphens."
        ),
    )
    org_number = forms.CharField(
        label=_l("Organisation number"), max_length=13, help_text=_l("NNNNNN-NNNN")
    )
    security_level = forms.TypedChoiceField(
        label=_l("Required security level"), choices=LEVELS, coerce=int, initial=2
    )
    availability_level = forms.TypedChoiceField(
        label=_l("Required availability level"), choices=LEVELS, coerce=int, initial=2
    )
    headcount = forms.IntegerField(label=_l("Headcount"), min_value=0, initial=0)


class GrantForm(forms.Form):
    prefix = "grant"
    username = forms.CharField(
        label=_l("Username"),
        max_length=150,
        help_text=_l("An existing federation identity; it becomes an admin of this agency."),
    )


class StateForm(forms.Form):
    prefix = "state"
    reason = forms.CharField(label=_l("Reason"), max_length=500, required=False)


def _agencies() -> AgencyQuerySet:
    return (
        Agency.objects.members()
        .annotate(
            admin_count=Count("grants", filter=Q(grants__role=Role.AGENCY_ADMIN), distinct=True)
        )
        .prefetch_related("domains")
        .order_by("name", "pk")
    )


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    require_platform_admin(request)
    state = request.GET.get("state", "")
    qs = _agencies()
    if state in AgencyState.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    page = paginate(request, qs)
    return render(
        request,
        "tenants/agencies.html",
        {
            "page": page,
            "agencies": list(page.object_list),
            "state": state,
            "states": AgencyState.choices,
            "query": f"state={state}" if state else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_new(request: HttpRequest) -> HttpResponse:
    require_platform_admin(request)
    form = OnboardForm(request.POST or None)
    if request.method == "POST":
        agency = submit(
            form,
            lambda data: actions.onboard_agency(
                cast(User, request.user), actions.AgencyInput(**data)
            ),
        )
        if agency is not None:
            messages.success(
                request, _("%(name)s is onboarded and active.") % {"name": agency.name}
            )
            return redirect("tenants:agency", pk=agency.pk)
    return render(
        request,
        "tenants/onboard.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def host_url(request: HttpRequest, domain: str) -> str:
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    return f"{request.scheme}://{domain}{'' if port == default else ':' + port}/"


def _steps(agency: Agency, admins: list) -> list[dict]:
    """Where the agency is in onboarding: the steps of `onboard_agency`, then an admin."""
    domains = list(agency.domains.all())
    return [
        {"label": _("Schema created from the template"), "done": schema_exists(agency.schema_name)},
        {"label": _("Host name added"), "done": bool(domains)},
        {
            "label": _("Activated"),
            "done": agency.state in (AgencyState.ACTIVE, AgencyState.SUSPENDED),
        },
        {"label": _("Admin granted"), "done": bool(admins)},
    ]


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency: its facts and onboarding steps, its admins (grant one), and its state
    (suspend or reactivate with a reason)."""
    require_platform_admin(request)
    agency = (
        Agency.objects.members()
        .prefetch_related(
            "domains",
            Prefetch(
                "grants",
                queryset=RoleGrant.objects.filter(role=Role.AGENCY_ADMIN)
                .select_related("user")
                .order_by("user__username"),
                to_attr="admin_grants",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if agency is None:
        raise Http404(_("No such agency."))
    action = request.POST.get("action", "")
    grant_form = GrantForm(request.POST if action == "grant" else None)
    state_form = StateForm(request.POST if action in ("suspend", "reactivate") else None)
    if request.method == "POST":
        done = None
        if action == "grant":
            done = submit(
                grant_form,
                lambda data: grants.grant_agency_role(
                    cast(User, request.user), agency.pk, data["username"]
                ),
            )
            ok = _("%(user)s is now an admin of %(agency)s.") % {
                "user": grant_form.cleaned_data.get("username", ""),
                "agency": agency.name,
            }
        elif action == "suspend":
            done = submit(
                state_form,
                lambda data: actions.suspend_agency(
                    cast(User, request.user), agency.pk, data["reason"]
                ),
            )
            ok = _("%(agency)s is suspended.") % {"agency": agency.name}
        elif action == "reactivate":
            done = submit(
                state_form,
                lambda data: actions.reactivate_agency(
                    cast(User, request.user), agency.pk, data["reason"]
                ),
            )
            ok = _("%(agency)s is active again.") % {"agency": agency.name}
        if done is not None:
            messages.success(request, ok)
            return redirect("tenants:agency", pk=agency.pk)
    admins = agency.admin_grants
    domains = list(agency.domains.all())
    return render(
        request,
        "tenants/agency.html",
        {
            "agency": agency,
            "admins": admins,
            "host": host_url(request, domains[0].domain) if domains else "",
            "steps": _steps(agency, admins),
            "grant_form": grant_form,
            "state_form": state_form,
            "action": action,
        },
        status=400 if request.method == "POST" else 200,
    )
