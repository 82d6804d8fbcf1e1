"""URLs of an agency host (<slug>.<base domain>), served in the agency's schema."""

from django.urls import path

from config.portal.urls import patterns as portal_patterns
from config.urls_common import common_patterns
from services.support import compliance as support_compliance
from tenants.admin import agency_admin_site

urlpatterns = [
    path("admin/", agency_admin_site.urls),
    path("reports/compliance.csv", support_compliance.compliance_csv, name="compliance-csv"),
    *portal_patterns("agency"),
    *common_patterns,
]

handler403 = "tenants.views.denied"
