"""An agency admin's cost pages (agency host): the months with the trend and budget, its own
statement of a published period, accepting it and disputing a line. Never another agency's."""

from __future__ import annotations

import pytest

from services.costs.models import Dispute, Statement
from tests.costs import builders as b
from tests.portal.client import portal_client
from tests.portal.costs.conftest import line_of, run_now

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def admin(federation, slug="alpha"):
    return portal_client(getattr(federation, slug), federation.user(f"{slug}-admin"))


def test_the_costs_page_shows_published_months_with_trend_and_budget(published, federation):
    # given February (published and closed, 200 kr for alpha) before the published March
    feb = b.period(month=published.period.month.replace(month=2), state="open")
    b.drivers(feb, "headcount", {federation.alpha.pk: 1})
    b.pool(feb, "Servers", 200_00, b.key("Even", "even", valid_from=feb.month))
    assert run_now(feb).state == "done"
    feb.state = "closed"
    feb.save(update_fields=["state"])
    response = admin(federation).get("/costs/", **EN)
    assert response.status_code == 200
    months = response.context["months"]
    assert [(str(m["period"].month), m["total"], m["change"]) for m in months] == [
        ("2026-03-01", 333_34, 133_34),
        ("2026-02-01", 200_00, None),
    ]
    latest = response.context["latest"]
    assert (latest["row"].budget_ore, latest["row"].budget_difference_ore) == (5_000_00, 4_666_66)
    html = response.content.decode()
    assert 'aria-labelledby="chart-months-title"' in html and 'id="table-months"' in html
    assert "Länsstyrelsen Beta" not in html


def test_an_unpublished_month_is_not_shown_to_the_agency(split, federation):
    response = admin(federation).get("/costs/", **EN)
    assert response.context["months"] == [] and response.context["rows"] == []
    assert admin(federation).get(f"/costs/{split.period.pk}/").status_code == 404


def test_the_statement_shows_only_the_agencys_own_lines(published, federation):
    for slug, other in (("alpha", "beta"), ("beta", "alpha")):
        response = admin(federation, slug).get(f"/costs/{published.period.pk}/", **EN)
        assert response.status_code == 200
        lines = list(response.context["page"].object_list)
        assert {li.agency.slug for li in lines} == {slug}
        assert len(lines) == 2
        assert response.context["statement"].agency.slug == slug
        html = response.content.decode()
        assert f"Länsstyrelsen {'Beta' if other == 'beta' else 'Alfa'}" not in html
    # alpha's lines with pool and key, and the downloads of its own statement
    html = admin(federation).get(f"/costs/{published.period.pk}/", **EN).content.decode()
    assert "Servers 30/70" in html and "INV-1001" in html
    assert 'href="/costs/2026-03/statement.pdf"' in html
    assert 'id="statement-reference">KF-2026-03-ALPHA<' in html
    pdf = admin(federation).get(f"/costs/{published.period.pk}/statement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_an_admin_cannot_open_or_dispute_another_agencys_line_by_id(published, federation):
    beta_line = line_of(published.period, federation.beta, published.servers)
    client = admin(federation)
    # another agency's line is as unknown as a missing one
    assert client.get(f"/costs/lines/{beta_line.pk}/dispute/").status_code == 404
    response = client.post(f"/costs/lines/{beta_line.pk}/dispute/", {"comment": "Not ours"})
    assert response.status_code == 404
    assert Dispute.objects.count() == 0
    # nor read beta's statement through a download naming beta
    assert client.get(f"/costs/{published.period.pk}/statement.csv?agency=beta").status_code == 403


def test_the_admin_disputes_a_line_with_a_comment(published, federation):
    line = line_of(published.period, federation.alpha, published.servers)
    client = admin(federation)
    # an empty comment: the error is next to the field
    empty = client.post(f"/costs/lines/{line.pk}/dispute/", {"comment": "  "}, **EN)
    assert empty.status_code == 400
    assert list(empty.context["form"].errors) == ["comment"]
    response = client.post(f"/costs/lines/{line.pk}/dispute/", {"comment": "We moved out."})
    assert response.status_code == 302
    assert response["Location"] == f"/costs/{published.period.pk}/"
    dispute = Dispute.objects.get()
    assert (dispute.line_id, dispute.agency_id, dispute.comment, dispute.state) == (
        line.pk,
        federation.alpha.pk,
        "We moved out.",
        "open",
    )
    page = client.get(f"/costs/{published.period.pk}/", **EN)
    assert page.context["open_lines"] == {line.pk}
    # the admin may still accept the undisputed lines
    assert page.context["may_accept"] is True
    assert "Accept the undisputed lines" in page.content.decode()
    assert Statement.objects.get(agency=federation.alpha).state == "disputed"


def test_the_admin_accepts_the_statement(published, federation):
    response = admin(federation).post(f"/costs/{published.period.pk}/accept/")
    assert response.status_code == 302
    assert Statement.objects.get(agency=federation.alpha).state == "accepted"
    assert Statement.objects.get(agency=federation.beta).state == "published"


def test_staff_and_other_agencies_admins_are_refused(published, federation):
    line = line_of(published.period, federation.alpha, published.servers)
    period = published.period.pk
    for user in ("alpha-staff", "beta-admin", "fin"):
        client = portal_client(federation.alpha, federation.user(user))
        for url in ("/costs/", f"/costs/{period}/", f"/costs/lines/{line.pk}/dispute/"):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(f"/costs/{period}/accept/").status_code == 403, user
        response = client.post(f"/costs/lines/{line.pk}/dispute/", {"comment": "x"})
        assert response.status_code == 403, user
    assert Dispute.objects.count() == 0
    assert set(Statement.objects.values_list("state", flat=True)) == {"published"}
