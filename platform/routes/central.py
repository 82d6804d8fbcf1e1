"""URLs of the central host (public schema): central IT and finance."""

from django.contrib import admin
from django.urls import path

from routes.common import common_patterns
from routes.portal import patterns as portal_patterns
from services.costs import downloads as cost_downloads
from services.support import compliance as support_compliance
from services.support import webhooks as support_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Machine-to-machine: the mail gateway and the SMS provider (shared secret / signature).
    path("inbound/email/", support_views.inbound_email, name="inbound-email"),
    path("inbound/sms/", support_views.inbound_sms, name="inbound-sms"),
    path("reports/compliance.csv", support_compliance.compliance_csv, name="compliance-csv"),
    path(
        "costs/<int:period_id>/statement.<str:fmt>",
        cost_downloads.statement_download,
        name="cost-statement-download",
    ),
    path(
        "costs/exports/<str:job_id>/download",
        cost_downloads.export_download,
        name="cost-export-download",
    ),
    path(  # the same, the period named by its month: costs/2026-11/statement.pdf
        "costs/<str:month>/statement.<str:fmt>",
        cost_downloads.statement_download_of_month,
        name="cost-statement-download-month",
    ),
    *portal_patterns("central"),
    *common_patterns,
]

handler403 = "services.agencies.views.denied"
