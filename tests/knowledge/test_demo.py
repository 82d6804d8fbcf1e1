"""The demo knowledge base loads through the actions, is searchable, gives the report real
rates, and adds nothing the second time."""

import pytest
from django_tenants.utils import schema_context

from demo.data import knowledge as demo
from demo.data.catalogue import load_catalogue
from services.knowledge import search
from services.knowledge.agency.models import AgencyArticle
from services.knowledge.models import Article, Rating, SuggestionOutcome
from services.knowledge.outcomes import self_help_report

pytestmark = pytest.mark.django_db


def test_demo_knowledge_loads_once_and_shows_in_search_and_report(federation, monkeypatch):
    # given the demo catalogue, and alpha standing in for Stockholm
    load_catalogue()
    monkeypatch.setitem(demo.AGENCY_OWN, "alpha", demo.AGENCY_OWN["stockholm"])
    agencies = [federation.alpha, federation.beta]
    shared_count = sum(len(rows) for rows in [*demo.SHARED.values(), *demo.ENGLISH.values()])
    # when the demo is loaded twice
    first = demo.load_knowledge(agencies)
    second = demo.load_knowledge(agencies)
    # then every article, outcome and rating was written once (two members in each agency)
    ratings = 2 * 2 * demo.RATINGS_PER_AGENCY
    assert first == shared_count + 2 + 2 * demo.SESSIONS_PER_AGENCY + ratings
    assert Rating.objects.count() == ratings
    assert second == 0
    assert Article.objects.count() == shared_count
    with schema_context("agency_alpha"):
        assert AgencyArticle.objects.count() == 2
    with schema_context("agency_beta"):
        assert AgencyArticle.objects.count() == 0
    assert SuggestionOutcome.objects.count() == 2 * demo.SESSIONS_PER_AGENCY
    # and the articles are found in Swedish
    hits = search.suggest(federation.alpha, "skrivaren fungerar inte", limit=3)
    assert "Skrivaren skriver inte ut" in [h.article.title for h in hits]
    assert "Skrivare i huset på Hantverkargatan" in [h.article.title for h in hits]
    # and the report has resolved sessions to show
    rows = self_help_report(federation.user("cat"))
    assert sum(r.shown for r in rows) == 2 * demo.SESSIONS_PER_AGENCY
    assert 0 < sum(r.resolved for r in rows) < sum(r.shown for r in rows)
