"""Pages of the shell: home of each host, the denial page (health: config/health.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

from services.agencies import policies
from services.agencies.todo import items_for
from tenants.models import Agency
from tenants.roles import Role
from tenants.viewer import of_request


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tenant, viewer = request.tenant, of_request(request)  # type: ignore[attr-defined]
    if tenant.schema_name == get_public_schema_name():
        agencies = policies.central_home_agencies(viewer, Agency.objects.all())
        agencies = agencies.prefetch_related("domains").order_by("name")
        return render(
            request,
            "central_home.html",
            {
                "agencies": agencies,
                "central_roles": policies.central_roles(viewer),
                "todo": items_for(viewer),
            },
        )
    return render(
        request,
        "agency_home.html",
        {
            "agency": tenant,
            # Role labels (translated), not codes.
            "roles": [Role(r).label for r in policies.roles_here(viewer)],
            "todo": items_for(viewer),
        },
    )


def denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "denied.html", {"message": str(exception or "")}, status=403)
