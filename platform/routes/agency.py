"""URLs of an agency host (<slug>.<base domain>), served in the agency's schema."""

from django.urls import include, path

from routes.common import common_patterns
from routes.portal import patterns as portal_patterns
from services.agencies.admin import agency_admin_site
from services.costs import downloads as cost_downloads
from services.support import compliance as support_compliance

urlpatterns = [
    path("admin/", agency_admin_site.urls),
    # SCIM 2.0 provisioning of the agency's people register (bearer SCIM tokens only).
    path("scim/v2/", include("api.scim.urls")),
    path("reports/compliance.csv", support_compliance.compliance_csv, name="compliance-csv"),
    path(
        "costs/<int:period_id>/statement.<str:fmt>",
        cost_downloads.statement_download,
        name="cost-statement-download",
    ),
    path(  # the same, the period named by its month: costs/2026-11/statement.pdf
        "costs/<str:month>/statement.<str:fmt>",
        cost_downloads.statement_download_of_month,
        name="cost-statement-download-month",
    ),
    *portal_patterns("agency"),
    *common_patterns,
]

handler403 = "services.agencies.views.denied"
