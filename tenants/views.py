"""Pages of the shell: home of each host, the denial page (health: config/health.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

from tenants import access
from tenants.models import Agency
from tenants.roles import Role


@login_required
def home(request):
    tenant = request.tenant
    if tenant.schema_name == get_public_schema_name():
        agencies = (
            Agency.objects.members().prefetch_related("domains").order_by("name")
            if access.has_central_role(request.user)
            else Agency.objects.none()
        )
        return render(
            request,
            "central_home.html",
            {
                "agencies": agencies,
                "central_roles": sorted(access.central_roles(request.user)),
            },
        )
    return render(
        request,
        "agency_home.html",
        {
            "agency": tenant,
            # Role labels (translated), not codes.
            "roles": [Role(r).label for r in sorted(access.agency_roles(request.user, tenant))],
        },
    )


def denied(request, exception=None):
    return render(request, "denied.html", {"message": str(exception or "")}, status=403)
