"""Exports of real allocation lines: who may download what (isolation), constant queries, and
the whole-period export as a task polled through GraphQL.

The download views and the GraphQL mixins are called directly (RequestFactory, a schema of
the mixins): the URL patterns and the root schema are wired by the lead (see the report)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import graphene
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from api.costs.exports import CostExportMutations, CostExportQueries
from services.costs import actions as cost_statements
from services.costs.allocation import execute_run
from services.costs.downloads import export_download, statement_download
from services.costs.exports.source import period_lines
from services.costs.models import AllocationRun, CostPool
from tests.costs import builders as b

pytestmark = pytest.mark.django_db


class _Query(CostExportQueries, graphene.ObjectType):
    pass


class _Mutation(CostExportMutations, graphene.ObjectType):
    pass


SCHEMA = graphene.Schema(query=_Query, mutation=_Mutation)


def _request(user, agency=None, data=None):
    request = RequestFactory().get("/", data or {})
    request.user = user
    request.tenant = agency  # None: the central host
    return request


def run_gql(query, variables=None, *, user, agency=None) -> dict:
    result = SCHEMA.execute(query, variable_values=variables, context_value=_request(user, agency))
    return {
        "data": result.data,
        "errors": [e.extensions.get("code") if e.extensions else str(e) for e in result.errors]
        if result.errors
        else [],
    }


@pytest.fixture
def split(federation):
    """March 2026 split between alpha (headcount 100) and beta (headcount 200), published."""
    a, z = federation.alpha.pk, federation.beta.pk
    per = b.period()
    b.drivers(per, "headcount", {a: 100, z: 200})
    b.pool(
        per,
        "Microsoft 365 – licenser",
        10_000_001,
        b.key("Antal användare", "driver", "headcount"),
        category="licence",
        source_reference="INV-2026-118",
    )
    b.pool(
        per,
        "IT-support löner",
        5_000_000,
        b.key("Lika delar", "even"),
        category="support_staff",
        source_reference="LÖN-2026-03",
    )
    run = execute_run(AllocationRun.objects.create(period=per).pk)
    assert run.state == "done", run.error
    return per


def _publish(federation, per):
    cost_statements.publish_statements(federation.user("fin"), per.pk)
    per.refresh_from_db()


def test_lines_trace_to_pool_source_and_key_and_sum_exactly(federation, split):
    # given the March split
    # when its lines are read for export
    lines = period_lines(split)
    # then each pool's lines add up to the pool, and each names its source and key version
    by_pool = {}
    for line in lines:
        by_pool[line.source_reference] = by_pool.get(line.source_reference, 0) + line.amount_ore
        assert line.key_version_id is not None
        assert line.agency_name in ("Länsstyrelsen Alfa", "Länsstyrelsen Beta")
    assert by_pool == {"INV-2026-118": 10_000_001, "LÖN-2026-03": 5_000_000}
    alpha = {
        (x.source_reference, x.driver_value, x.amount_ore)
        for x in lines
        if x.agency_id == federation.alpha.pk
    }
    assert alpha == {
        ("INV-2026-118", Decimal("100"), 3_333_334),
        ("LÖN-2026-03", Decimal("1"), 2_500_000),
    }


def _queries(per) -> tuple[int, int]:
    """(lines read, SQL queries run) — django-tenants' own SET search_path is not counted."""
    with CaptureQueriesContext(connection) as ctx:
        count = len(period_lines(per))
    return count, sum(1 for q in ctx.captured_queries if not q["sql"].startswith("SET "))


def test_reading_lines_takes_two_queries_whatever_their_number(federation, split):
    # given the split of two agencies (the lines, and their adjustments in one prefetch)
    assert _queries(split) == (4, 2)
    # when ten more agencies and a third pool are split in the same period
    more = b.bare_agencies(10)
    b.drivers(split, "headcount", {a.pk: 5 for a in more})
    b.pool(split, "Skrivare", 12_345, b.key("Lika till", "even"), category="infrastructure")
    assert execute_run(AllocationRun.objects.create(period=split).pk).state == "done"
    # then reading their 36 lines still takes two queries
    assert _queries(split) == (36, 2)


def test_agency_admin_downloads_only_their_own_published_statement(federation, split):
    alpha_admin = federation.user("alpha-admin")
    # given an unpublished period: the agency admin may not read it yet
    with pytest.raises(PermissionDenied):
        statement_download(_request(alpha_admin, federation.alpha), split.pk, "pdf")
    _publish(federation, split)
    # when alpha's admin downloads the PDF on alpha's host
    response = statement_download(_request(alpha_admin, federation.alpha), split.pk, "pdf")
    # then it is alpha's statement, with alpha's total (33 333,34 + 25 000,00)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="costs-2026-03-alpha.pdf"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\u00a0", " ")
    assert "Länsstyrelsen Alfa" in text
    assert "58 333,34 kr" in text
    assert "Beta" not in text
    # and the CSV holds alpha's lines only
    response = statement_download(_request(alpha_admin, federation.alpha), split.pk, "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["agency"] for r in rows} == {"alpha"}
    # when alpha's admin asks for beta's statement, or comes through beta's host
    with pytest.raises(PermissionDenied):
        statement_download(
            _request(alpha_admin, federation.alpha, {"agency": "beta"}), split.pk, "pdf"
        )
    with pytest.raises(PermissionDenied):
        statement_download(_request(alpha_admin, federation.beta), split.pk, "pdf")
    # then both are refused; so is alpha's staff, and anyone on the central host without a role
    with pytest.raises(PermissionDenied):
        statement_download(
            _request(federation.user("alpha-staff"), federation.alpha), split.pk, "csv"
        )
    with pytest.raises(PermissionDenied):
        statement_download(_request(alpha_admin, None, {"agency": "alpha"}), split.pk, "csv")


def test_finance_downloads_any_agency_centrally_in_every_format(federation, split, central_org):
    fin = federation.user("fin")
    # given an unpublished split: finance reads it already
    for fmt in ("pdf", "csv", "csv-excel", "xlsx", "focus", "focus-metadata", "sie"):
        # when finance downloads beta's statement in each format on the central host
        response = statement_download(_request(fin, None, {"agency": "beta"}), split.pk, fmt)
        # then it is beta's file
        assert response.status_code == 200, fmt
        assert "-beta" in response["Content-Disposition"], fmt
    sie = statement_download(_request(fin, None, {"agency": "beta"}), split.pk, "sie")
    text = sie.content.decode("cp437")
    assert "Länsstyrelsen Beta" in text and "Länsstyrelsen Alfa" not in text
    # without an agency the whole period is refused in the request (it goes through a task)
    response = statement_download(_request(fin, None), split.pk, "csv")
    assert response.status_code == 400
    with pytest.raises(Http404):
        statement_download(_request(fin, None, {"agency": "beta"}), split.pk, "docx")


EXPORT = """mutation($month: String!, $format: CostExportFormat!) {
  requestCostExport(month: $month, format: $format) {
    export { id month format state progress } errors { field code message } } }"""
POLL = """query($id: ID!) { costExport(id: $id) {
  id month format state progress filename size downloadUrl error } }"""


def test_finance_exports_a_whole_period_through_a_task_and_polls_it(
    federation, split, central_org, django_capture_on_commit_callbacks
):
    fin = federation.user("fin")
    # when finance asks for the period's SIE file
    with django_capture_on_commit_callbacks(execute=True):
        result = run_gql(EXPORT, {"month": "2026-03", "format": "SIE"}, user=fin)
    assert result["errors"] == []
    payload = result["data"]["requestCostExport"]
    assert payload["errors"] == []
    assert payload["export"]["state"] == "QUEUED"
    job_id = payload["export"]["id"]
    # then polling shows it done, with a file to download
    polled = run_gql(POLL, {"id": job_id}, user=fin)["data"]["costExport"]
    assert polled["state"] == "DONE"
    assert polled["progress"] == 100
    assert polled["filename"] == "costs-2026-03.si"
    assert polled["downloadUrl"].endswith(f"/{job_id}/download")
    response = export_download(_request(fin), job_id)
    assert response.content.decode("cp437").count("#VER ") == 2
    assert len(response.content) == polled["size"]


def test_other_roles_can_neither_export_nor_poll_nor_download(
    federation, split, django_capture_on_commit_callbacks
):
    fin = federation.user("fin")
    with django_capture_on_commit_callbacks(execute=True):
        job_id = run_gql(EXPORT, {"month": "2026-03", "format": "CSV"}, user=fin)["data"][
            "requestCostExport"
        ]["export"]["id"]
    for name, agency in (("alpha-admin", federation.alpha), ("alpha-admin", None), ("cat", None)):
        user = federation.user(name)
        # when they ask for an export
        result = run_gql(EXPORT, {"month": "2026-03", "format": "CSV"}, user=user, agency=agency)
        # then it is refused as data, and no job is made
        assert result["data"]["requestCostExport"] == {
            "export": None,
            "errors": [
                {
                    "field": None,
                    "code": "PERMISSION_DENIED",
                    "message": result["data"]["requestCostExport"]["errors"][0]["message"],
                }
            ],
        }
        # and polling finance's job is forbidden
        polled = run_gql(POLL, {"id": job_id}, user=user, agency=agency)
        assert polled["errors"] == ["FORBIDDEN"]
        assert polled["data"]["costExport"] is None
        with pytest.raises(PermissionDenied):
            export_download(_request(user, agency), job_id)
    # finance on an agency's host is refused too (central work is done centrally)
    assert run_gql(POLL, {"id": job_id}, user=fin, agency=federation.alpha)["errors"] == [
        "FORBIDDEN"
    ]


IMPORT = """mutation($month: String!, $filename: String!, $content: String!) {
  importCostPools(month: $month, filename: $filename, contentBase64: $content) {
    count errors { field code message } } }"""


def test_import_mutation_lists_each_bad_line_and_denies_other_roles(federation, split):
    import base64

    _ = split  # its period (March) is open: pools can be added
    bad = (
        "name,category,amount,key,source_reference\n"
        "Ny pool,licence,10,Lika delar,INV-9\n"
        "Ny pool,licence,-1,Okänd,INV-10\n"
    ).encode()
    content = base64.b64encode(bad).decode()
    before = CostPool.objects.count()
    # when finance sends a bad file
    result = run_gql(
        IMPORT,
        {"month": "2026-03", "filename": "p.csv", "content": content},
        user=federation.user("fin"),
    )
    # then every line at fault comes back, and nothing was written
    payload = result["data"]["importCostPools"]
    assert payload["count"] is None
    assert [(e["field"], e["code"], e["message"]) for e in payload["errors"]] == [
        ("file", "DUPLICATE", "line 3: name: same name as line 2"),
        ("file", "NEGATIVE", "line 3: amount: must not be negative"),
        ("file", "NOT_FOUND", 'line 3: key: unknown key "Okänd"'),
    ]
    assert CostPool.objects.count() == before
    # when alpha's admin sends a good file
    good = base64.b64encode(bad.rsplit(b"\n", 2)[0] + b"\n").decode()
    result = run_gql(
        IMPORT,
        {"month": "2026-03", "filename": "p.csv", "content": good},
        user=federation.user("alpha-admin"),
        agency=federation.alpha,
    )
    # then it is refused and nothing is written
    assert result["data"]["importCostPools"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert CostPool.objects.count() == before
    # and finance's good file creates the pool
    result = run_gql(
        IMPORT,
        {"month": "2026-03", "filename": "p.csv", "content": good},
        user=federation.user("fin"),
    )
    assert result["data"]["importCostPools"] == {"count": 1, "errors": []}
    assert CostPool.objects.count() == before + 1
