"""The knowledge pages: editors write and edit shared articles on the central host and see
their ratings; an agency's members search, read and rate articles on its host (once per
person and article, changeable); nobody else gets in, and lists keep their query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from services.knowledge.agency.models import AgencyArticle
from services.knowledge.models import Article, ArticleKind, Rating

pytestmark = pytest.mark.django_db

CENTRAL = "localhost"
ALPHA = "alpha.localhost"


def client(fed, user: str, host: str) -> Client:
    c = Client(HTTP_HOST=host)
    c.force_login(fed.user(user))
    return c


def test_an_agent_writes_and_edits_a_shared_article(federation, kb):
    desk = client(federation, "desk", CENTRAL)
    assert desk.get("/knowledge/new/").status_code == 200
    # a bad article names its fields and writes nothing
    count = Article.objects.count()
    bad = desk.post("/knowledge/new/", {"service": kb.vpn.pk, "title": "", "body": "x"})
    assert bad.status_code == 400
    assert Article.objects.count() == count
    # a good one is saved through the action and listed
    data = {
        "service": kb.vpn.pk,
        "title": "Fjärrskrivbord från hemmet",
        "body": "Starta VPN först.",
        "language": "sv",
        "published": "on",
    }
    assert desk.post("/knowledge/new/", data).status_code == 302
    article = Article.objects.get(title="Fjärrskrivbord från hemmet")
    assert article.author_id == federation.user("desk").pk
    assert "Fjärrskrivbord från hemmet" in desk.get("/knowledge/").content.decode()
    # and edited: now an English draft
    data.update(title="Remote desktop from home", language="en", published="")
    assert desk.post(f"/knowledge/{article.pk}/edit/", data).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.language, article.published) == (
        "Remote desktop from home",
        "en",
        False,
    )
    assert desk.get(f"/knowledge/{987654321}/edit/").status_code == 404


@pytest.mark.parametrize("user", ["fin", "tech", "alpha-admin", "alpha-staff", "nobody"])
def test_others_may_not_write_shared_articles(federation, kb, user):
    c = client(federation, user, CENTRAL)
    assert c.get("/knowledge/").status_code == 403
    assert c.get("/knowledge/new/").status_code == 403
    data = {"service": kb.vpn.pk, "title": "X", "body": "Y", "language": "sv"}
    assert c.post(f"/knowledge/{kb.printer.pk}/edit/", data).status_code == 403
    kb.printer.refresh_from_db()
    assert kb.printer.title == "Skrivaren skriver inte ut"


def test_staff_search_read_and_rate_once_and_may_change_their_mind(federation, kb):
    staff = client(federation, "alpha-staff", ALPHA)
    found = staff.get("/knowledge/", {"q": "skrivarn funkar inte"}).content.decode()
    assert "Skrivaren skriver inte ut" in found
    assert "Alfas skrivare på plan 3" in found
    assert "Betas" not in found
    page = staff.get(f"/knowledge/shared/{kb.printer.pk}/").content.decode()
    assert "Did this article help?" in page
    rate = {"kind": "shared", "article": kb.printer.pk, "helpful": "yes"}
    assert staff.post("/knowledge/rate/", rate).status_code == 302
    assert staff.post("/knowledge/rate/", {**rate, "helpful": "no"}).status_code == 302
    mine = Rating.objects.filter(article_kind="shared", article_id=kb.printer.pk)
    assert [(r.user_id, r.helpful) for r in mine] == [(federation.user("alpha-staff").pk, False)]
    assert (
        "You said it did not help"
        in staff.get(f"/knowledge/shared/{kb.printer.pk}/").content.decode()
    )
    # the agency's own article too
    own = {"kind": "agency", "article": kb.alpha_own.pk, "helpful": "yes"}
    assert staff.get(f"/knowledge/own/{kb.alpha_own.pk}/").status_code == 200
    assert staff.post("/knowledge/rate/", own).status_code == 302
    # and the editors see the tally on their list
    listed = client(federation, "desk", CENTRAL).get("/knowledge/").content.decode()
    assert "Skrivaren skriver inte ut" in listed


def test_drafts_and_another_agencys_articles_are_not_readable_nor_rateable(federation, kb):
    staff = client(federation, "alpha-staff", ALPHA)
    before = Rating.objects.count()
    assert staff.get(f"/knowledge/shared/{kb.draft.pk}/").status_code == 404
    draft = {"kind": "shared", "article": kb.draft.pk, "helpful": "yes"}
    assert staff.post("/knowledge/rate/", draft).status_code == 404
    with schema_context("agency_alpha"):
        missing = max(AgencyArticle.objects.values_list("pk", flat=True)) + 1000
    with schema_context("agency_beta"):
        AgencyArticle.objects.filter(pk=kb.beta_own.pk).update(id=missing)
    assert staff.get(f"/knowledge/own/{missing}/").status_code == 404
    beta = {"kind": "agency", "article": missing, "helpful": "yes"}
    assert staff.post("/knowledge/rate/", beta).status_code == 404
    assert staff.post("/knowledge/rate/", {"kind": "x", "article": "1"}).status_code == 400
    assert Rating.objects.count() == before
    # the central host has no rating page
    desk = client(federation, "desk", CENTRAL)
    assert desk.post("/knowledge/rate/", draft).status_code == 404


def test_staff_browse_the_published_articles_without_searching(federation, kb):
    staff = client(federation, "alpha-staff", ALPHA)
    page = staff.get("/knowledge/").content.decode()
    assert f'href="/knowledge/shared/{kb.printer.pk}/"' in page
    assert f'href="/knowledge/own/{kb.alpha_own.pk}/"' in page
    assert f"/knowledge/shared/{kb.draft.pk}/" not in page  # drafts are not listed
    assert kb.beta_own.title not in page  # nor another agency's own articles


def test_the_lists_cost_the_same_whatever_the_number_of_articles(federation, kb):
    from tests.knowledge.conftest import shared

    desk = client(federation, "desk", CENTRAL)
    staff = client(federation, "alpha-staff", ALPHA)

    def count(c, path, data=None):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(path, data or {}).status_code == 200
        return len(ctx.captured_queries)

    few = (
        count(desk, "/knowledge/"),
        count(staff, "/knowledge/", {"q": "skrivare"}),
        count(staff, "/knowledge/"),  # browsing, without a search
    )
    for n in range(12):
        article = shared(federation, kb.printing, f"Skrivare {n}", "Om skrivaren.")
        Rating.objects.create(
            agency=federation.alpha,
            article_kind=ArticleKind.SHARED,
            article_id=article.pk,
            user_id=federation.user("alpha-staff").pk,
            helpful=True,
        )
    many = (
        count(desk, "/knowledge/"),
        count(staff, "/knowledge/", {"q": "skrivare"}),
        count(staff, "/knowledge/"),
    )
    assert many == few
