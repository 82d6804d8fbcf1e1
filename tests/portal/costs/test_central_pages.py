"""Finance's pages of the cost split (central host): periods, pools, imports, keys, the run
with its progress, lines, statements, disputes, closing and corrections, charts, exports."""

from __future__ import annotations

import pytest

from services.costs.models import (
    AllocationKey,
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    KeyVersion,
    Period,
)
from tests.costs import builders as b
from tests.portal.costs.conftest import line_of

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_finance_creates_a_period_and_a_second_one_for_the_month_is_refused(fin):
    # when finance creates March 2026
    response = fin.post("/costs/", {"month": "2026-03"})
    # then the period exists and the page goes to it
    created = Period.objects.get(month="2026-03-01")
    assert response.status_code == 302 and response["Location"] == f"/costs/{created.pk}/"
    # when it tries again, the error is next to the month and the input is kept
    again = fin.post("/costs/", {"month": "2026-03"}, **EN)
    assert again.status_code == 400
    assert again.context["form"].errors == {"month": ["This month already has a period."]}
    assert 'value="2026-03"' in again.content.decode()
    assert Period.objects.count() == 1


def test_the_periods_page_lists_periods_with_state(fin, split):
    response = fin.get("/costs/", **EN)
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [split.period.pk]
    html = response.content.decode()
    assert f'href="/costs/{split.period.pk}/"' in html and 'data-state="open"' in html


def test_the_periods_page_counts_each_open_dispute_once(fin, published, federation):
    # given a published period of two pools and one dispute of alpha's
    from services.costs.actions import dispute_line

    line = line_of(published.period, federation.alpha, published.servers)
    dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Too high")
    # when finance lists the periods
    row = fin.get("/costs/", **EN).context["page"].object_list[0]
    # then the dispute counts once, not once per pool of the period
    assert (row.pool_count, row.open_disputes) == (2, 1)


def test_a_negative_pool_amount_is_refused_next_to_the_field_and_the_input_kept(fin, split):
    before = CostPool.objects.count()
    # when finance adds a pool of -5 kr
    response = fin.post(
        f"/costs/{split.period.pk}/pools/new/",
        {
            "name": "Printers",
            "category": "infrastructure",
            "amount": "-5",
            "key": split.fixed.pk,
            "source_reference": "INV-9",
        },
        **EN,
    )
    # then the action's error is on the amount field, and what was typed is still there
    assert response.status_code == 400
    assert response.context["form"].errors == {"amount": ["The amount must not be negative."]}
    html = response.content.decode()
    assert 'id="id_amount_error"' in html and 'value="Printers"' in html and 'value="-5"' in html
    assert CostPool.objects.count() == before


def test_finance_adds_a_pool_in_kronor_stored_as_ore(fin, split):
    response = fin.post(
        f"/costs/{split.period.pk}/pools/new/",
        {
            "name": "Printers",
            "category": "infrastructure",
            "amount": "1234.56",
            "key": split.fixed.pk,
            "source_reference": "INV-9",
        },
        **EN,
    )
    assert response.status_code == 302
    pool = CostPool.objects.get(period=split.period, name="Printers")
    assert (pool.amount_ore, pool.key_id, pool.source_reference) == (
        123456,
        split.fixed.pk,
        "INV-9",
    )


def test_writing_to_a_closed_period_is_refused_and_nothing_written(fin, federation):
    closed = b.period(state="closed")
    key = AllocationKey.objects.create(name="Even")
    response = fin.post(
        f"/costs/{closed.pk}/pools/new/",
        {"name": "Late", "category": "infrastructure", "amount": "10", "key": key.pk},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The period is closed: it never changes."
    ]
    assert 'value="Late"' in response.content.decode()
    assert not CostPool.objects.filter(period=closed).exists()


def _upload(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_bad_import_file_lists_every_line_at_fault_and_writes_nothing(fin, split):
    before = CostPool.objects.count()
    content = (
        "name;category;amount;key;source_reference\n"
        "Phones;infrastructure;100,00;Servers 30/70;INV-7\n"
        "Backup;nonsense;12;Servers 30/70;INV-8\n"
        "Cables;infrastructure;-3;No such key;INV-9\n"
    )
    response = fin.post(
        f"/costs/{split.period.pk}/pools/import/", {"file": _upload("pools.csv", content)}, **EN
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        'line 3: category: unknown category "nonsense"',
        "line 4: amount: must not be negative",
        'line 4: key: unknown key "No such key"',
    ]
    assert "line 3: category" in response.content.decode()
    assert CostPool.objects.count() == before  # not even the good first line


def test_a_good_import_file_creates_every_pool(fin, split):
    content = (
        "name,category,amount,key,source_reference\n"
        "Phones,infrastructure,100.00,Servers 30/70,INV-7\n"
        "Backup,infrastructure,12,Headcount,INV-8\n"
    )
    response = fin.post(
        f"/costs/{split.period.pk}/pools/import/", {"file": _upload("pools.csv", content)}
    )
    assert response.status_code == 302
    assert sorted(
        CostPool.objects.filter(period=split.period, name__in=["Phones", "Backup"]).values_list(
            "name", "amount_ore"
        )
    ) == [("Backup", 1200), ("Phones", 10000)]


def test_finance_creates_a_key_and_adds_a_fixed_version(fin, federation):
    response = fin.post("/costs/keys/", {"name": "Rooms", "description": "Floor space"})
    key = AllocationKey.objects.get(name="Rooms")
    assert response.status_code == 302 and response["Location"] == f"/costs/keys/{key.pk}/"
    a, z = federation.alpha.pk, federation.beta.pk
    response = fin.post(
        f"/costs/keys/{key.pk}/",
        {
            "valid_from": "2026-04",
            "method": "fixed",
            f"weight_{a}": "1",
            f"weight_{z}": "3",
            "excluded": [],
        },
    )
    assert response.status_code == 302
    version = KeyVersion.objects.get(key=key)
    assert (str(version.valid_from), version.method) == ("2026-04-01", "fixed")
    assert sorted((w.agency_id, int(w.weight)) for w in version.weights.all()) == [(a, 1), (z, 3)]


def test_weights_all_zero_are_refused_above_the_weights_with_the_input_kept(fin, federation):
    key = AllocationKey.objects.create(name="Rooms")
    a, z = federation.alpha.pk, federation.beta.pk
    response = fin.post(
        f"/costs/keys/{key.pk}/",
        {"valid_from": "2026-04", "method": "fixed", f"weight_{a}": "0", f"weight_{z}": "0"},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"weights": ["The weights are all zero."]}
    html = response.content.decode()
    assert html.count('value="0"') == 2
    assert not KeyVersion.objects.filter(key=key).exists()


def test_a_negative_weight_is_shown_next_to_that_agency(fin, federation):
    key = AllocationKey.objects.create(name="Rooms")
    a, z = federation.alpha.pk, federation.beta.pk
    response = fin.post(
        f"/costs/keys/{key.pk}/",
        {"valid_from": "2026-04", "method": "fixed", f"weight_{a}": "2", f"weight_{z}": "-1"},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {f"weight_{z}": ["A weight must not be negative."]}


def test_the_run_is_queued_and_its_progress_polled_until_done(
    fin, split, django_capture_on_commit_callbacks
):
    # when finance runs the split (the task runs once the request commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = fin.post(f"/costs/{split.period.pk}/run/")
    assert response.status_code == 302
    run = AllocationRun.objects.filter(period=split.period).latest("id")
    assert (run.state, run.progress) == ("done", 100)
    # then the period page shows the run, and the fragment stops polling when done
    page = fin.get(f"/costs/{split.period.pk}/", **EN).content.decode()
    assert 'id="run" data-state="done"' in page and 'aria-valuenow="100"' in page
    fragment = fin.get(f"/costs/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment


def test_a_queued_run_polls_every_second(fin, split):
    run = AllocationRun.objects.create(period=split.period, progress=40, state="running")
    fragment = fin.get(f"/costs/runs/{run.pk}/", **EN).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'aria-valuenow="40"' in fragment
    assert "40 % done" in fragment


def test_the_lines_show_their_trace_and_filter_by_agency_and_pool(fin, split, federation):
    response = fin.get(f"/costs/{split.period.pk}/lines/?agency=alpha", **EN)
    lines = list(response.context["page"].object_list)
    assert {(li.pool.name, li.amount_ore) for li in lines} == {
        ("Servers", 300_00),
        ("Support staff", 33_34),
    }
    html = response.content.decode()
    assert "INV-1001" in html and "Servers 30/70" in html and "Fixed weights" in html
    by_pool = fin.get(f"/costs/{split.period.pk}/lines/?pool={split.staff.pk}")
    assert sorted(li.amount_ore for li in by_pool.context["page"].object_list) == [33_34, 66_67]


def test_publish_resolve_close_and_correct(fin, disputed, federation, split):
    period = disputed.period
    # the disputes page lists alpha's open dispute
    listing = fin.get(f"/costs/{period.pk}/disputes/?state=open", **EN)
    assert [d.pk for d in listing.context["page"].object_list] == [disputed.dispute.pk]
    # closing with an open dispute is refused
    fin.post(f"/costs/{period.pk}/close/", {"confirm": "yes"})
    period.refresh_from_db()
    assert period.state == "preliminary"
    # adjusting without an amount: the error is next to the amount, the reason kept
    missing = fin.post(
        f"/costs/disputes/{disputed.dispute.pk}/",
        {"resolution": "adjust", "reason": "Moved out in March"},
        **EN,
    )
    assert missing.status_code == 400
    assert missing.context["form"].errors == {"amount": ["Give the line's new amount."]}
    assert "Moved out in March" in missing.content.decode()
    # when finance adjusts alpha's line to 250 kr
    done = fin.post(
        f"/costs/disputes/{disputed.dispute.pk}/",
        {"resolution": "adjust", "amount": "250", "reason": "Moved out in March"},
    )
    assert done.status_code == 302
    line = AllocationLine.objects.get(pk=disputed.line.pk)
    assert (line.computed_ore, line.adjustment_ore, line.amount_ore) == (300_00, -50_00, 250_00)
    assert line_of(period, federation.beta, split.servers).amount_ore == 750_00
    # and closes the period
    fin.post(f"/costs/{period.pk}/close/", {"confirm": "yes"})
    period.refresh_from_db()
    assert period.state == "closed"
    # a correction of the closed line goes into the next open period
    later = b.period(month=period.month.replace(month=4))
    booked = fin.post(
        f"/costs/lines/{line.pk}/correct/", {"amount": "-10", "reason": "Credit for March"}
    )
    assert booked.status_code == 302 and booked["Location"] == f"/costs/{later.pk}/"
    correction = CostPool.objects.get(period=later)
    assert (correction.amount_ore, correction.corrects_id) == (-10_00, line.pk)


def test_a_correction_below_zero_is_refused_next_to_the_amount(fin, published, federation):
    line = line_of(published.period, federation.alpha, published.servers)
    Period.objects.filter(pk=published.period.pk).update(state="closed")
    b.period(month=published.period.month.replace(month=4))
    response = fin.post(
        f"/costs/lines/{line.pk}/correct/", {"amount": "-301", "reason": "Too much"}, **EN
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "amount": ["The line would end below zero after corrections."]
    }
    assert 'value="-301"' in response.content.decode()


def test_publishing_gives_statements_with_downloads(fin, split):
    fin.post(f"/costs/{split.period.pk}/publish/")
    split.period.refresh_from_db()
    assert split.period.state == "preliminary"
    response = fin.get(f"/costs/{split.period.pk}/statements/", **EN)
    assert [(r["statement"].agency.slug, r["total"]) for r in response.context["rows"]] == [
        ("alpha", 333_34),
        ("beta", 766_67),
    ]
    html = response.content.decode()
    assert 'href="/costs/2026-03/statement.pdf?agency=alpha"' in html
    assert '<td class="statement-reference">KF-2026-03-ALPHA</td>' in html
    for ref in ("2026-03", str(split.period.pk)):  # the month or the period's id
        pdf = fin.get(f"/costs/{ref}/statement.pdf?agency=alpha")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_charts_page_draws_each_chart_with_a_table(fin, split, federation):
    # given two running supplier contracts (3:1)
    import datetime as dt

    from services.catalogue.models import Supplier, SupplierContract

    for name, annual in (("Atea", 300_000_00), ("Tele2", 100_000_00)):
        SupplierContract.objects.create(
            supplier=Supplier.objects.create(name=name),
            reference=name,
            value_ore=annual,
            annual_value_ore=annual,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    response = fin.get(f"/costs/{split.period.pk}/report/", **EN)
    assert response.status_code == 200
    assert [(r.agency_slug, r.amount_ore, r.budget_ore) for r in response.context["by_agency"]] == [
        ("beta", 766_67, 9_000_00),
        ("alpha", 333_34, 5_000_00),
    ]
    assert response.context["trend"] == [("2026-03", 1_100_01)]
    html = response.content.decode()
    for chart in ("chart-agency", "chart-service", "chart-trend", "chart-suppliers"):
        assert f'aria-labelledby="{chart}-title"' in html
    for table in ("table-agency", "table-service", "table-trend", "table-suppliers"):
        assert f'<table id="{table}">' in html
    bars = response.context["agency_chart"]["bars"]
    assert [(bar.label, bar.width) for bar in bars] == [
        ("Länsstyrelsen Beta", 330),
        ("Länsstyrelsen Alfa", 143),
    ]
    suppliers = response.context["suppliers"].suppliers
    assert [(s.supplier.name, str(s.share_percent), s.over_threshold) for s in suppliers] == [
        ("Atea", "75.00", True),
        ("Tele2", "25.00", False),
    ]


def test_a_whole_period_export_is_a_polled_job(
    fin, published, central_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = fin.post(f"/costs/{published.period.pk}/export/", {"format": "sie"})
    assert response.status_code == 302
    job_url = response["Location"]
    page = fin.get(job_url, **EN).content.decode()
    assert 'data-state="done"' in page and "hx-trigger" not in page
    job_id = job_url.rstrip("/").rsplit("/", 1)[-1]
    download = fin.get(f"/costs/exports/{job_id}/download")
    assert download.status_code == 200 and b"#VER" in download.content


def test_unknown_rows_are_404(fin):
    for url in ("/costs/999999/", "/costs/999999/lines/", "/costs/disputes/999999/"):
        assert fin.get(url).status_code == 404, url
    assert Dispute.objects.count() == 0


def test_finance_rejects_a_dispute_with_a_reason(fin, disputed, federation):
    # a reason is required: the error is next to it
    missing = fin.post(f"/costs/disputes/{disputed.dispute.pk}/", {"resolution": "reject"}, **EN)
    assert missing.status_code == 400
    assert list(missing.context["form"].errors) == ["reason"]
    response = fin.post(
        f"/costs/disputes/{disputed.dispute.pk}/",
        {"resolution": "reject", "reason": "The room is still in use"},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.state, dispute.resolution_reason) == ("rejected", "The room is still in use")
    assert AllocationLine.objects.get(pk=disputed.line.pk).amount_ore == 300_00
