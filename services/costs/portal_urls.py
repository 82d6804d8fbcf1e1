"""Portal pages of costs: the paths on an agency host and on the central host (views in
services/costs/portal/). The statement downloads (`costs/<period>/statement.<fmt>`) and the
export download (`costs/exports/<job>/download`) are mounted by the hosts' url modules."""

from django.urls import path

from services.costs.portal import agency, central, exports, keys, reports, statements

agency_urlpatterns: list = [
    path("", agency.home, name="agency"),
    path("<int:period_id>/", agency.statement, name="statement"),
    path("<int:period_id>/accept/", agency.accept, name="accept"),
    path("lines/<int:line_id>/dispute/", agency.dispute_line, name="dispute_line"),
]
central_urlpatterns: list = [
    path("", central.periods, name="periods"),
    path("<int:period_id>/", central.period, name="period"),
    path("<int:period_id>/pools/new/", central.pool_new, name="pool_new"),
    path("<int:period_id>/pools/import/", central.pool_import, name="pool_import"),
    path("<int:period_id>/drivers/", central.snapshot, name="snapshot"),
    path("<int:period_id>/run/", central.run, name="run"),
    path("runs/<int:run_id>/", central.run_progress, name="run_progress"),
    path("<int:period_id>/lines/", central.lines, name="lines"),
    path("<int:period_id>/statements/", statements.statement_list, name="statements"),
    path("<int:period_id>/publish/", central.publish, name="publish"),
    path("<int:period_id>/close/", central.close, name="close"),
    path("<int:period_id>/disputes/", statements.disputes, name="disputes"),
    path("disputes/<int:dispute_id>/", statements.dispute, name="dispute"),
    path("lines/<int:line_id>/correct/", central.correct, name="correct"),
    path("<int:period_id>/report/", reports.report, name="report"),
    path("<int:period_id>/export/", exports.request_export, name="request_export"),
    path("exports/<str:job_id>/", exports.export_job, name="export"),
    path("keys/", keys.key_list, name="keys"),
    path("keys/<int:key_id>/", keys.key, name="key"),
]
