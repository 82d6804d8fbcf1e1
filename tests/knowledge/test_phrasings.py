"""How well self-help understands people: everyday Swedish phrasings (colloquial, misspelled,
short) must find the right demo article among the first three suggestions, at least 38 of every
40 (tests/knowledge/phrasings.py); English questions find the English articles."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from demo.data import knowledge as demo
from demo.data.catalogue import load_catalogue
from services.knowledge import search
from services.knowledge.models import Article, Language
from tests.knowledge.phrasings import ENGLISH, HELD_OUT, SWEDISH

pytestmark = pytest.mark.django_db

TOP = 3


@pytest.fixture
def demo_kb(federation):
    load_catalogue()
    demo.load_knowledge([federation.alpha])
    return federation


def _misses(agency, phrasings) -> list[tuple[str, str, list[str]]]:
    misses = []
    for text, expected in phrasings:
        titles = [h.article.title for h in search.suggest(agency, text, limit=TOP)]
        if expected not in titles:
            misses.append((text, expected, titles))
    return misses


def test_everyday_swedish_finds_the_right_article_in_the_top_three(demo_kb):
    assert len(SWEDISH) >= 40
    misses = _misses(demo_kb.alpha, SWEDISH)
    found = len(SWEDISH) - len(misses)
    print(f"\ntop-{TOP} hit rate: {found}/{len(SWEDISH)}")
    for miss in misses:
        print("  missed:", miss)
    # at least 38 of every 40
    assert found * 40 >= 38 * len(SWEDISH), misses


def test_english_questions_find_the_english_articles(demo_kb):
    misses = _misses(demo_kb.alpha, ENGLISH)
    print(f"\nEnglish top-{TOP}: {len(ENGLISH) - len(misses)}/{len(ENGLISH)}")
    assert misses == []


def test_phrasings_nobody_tuned_for_mostly_find_their_article(demo_kb):
    misses = _misses(demo_kb.alpha, HELD_OUT)
    found = len(HELD_OUT) - len(misses)
    print(f"\nheld-out top-{TOP}: {found}/{len(HELD_OUT)}")
    for miss in misses:
        print("  missed:", miss)
    assert found * 10 >= 8 * len(HELD_OUT), misses


def _plain_full_text(text: str) -> list[str]:
    """The search of 2026-11-22, for comparison: the `swedish` configuration alone, no
    synonyms, no trigrams, Swedish articles only (the shared ones; alpha has none of its own)."""
    query = SearchQuery(search.any_word_query(text), search_type="websearch", config="swedish")
    rows = (
        Article.objects.filter(published=True, language=Language.SWEDISH, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "id")[:TOP]
    )
    return [a.title for a in rows]


def test_the_same_phrasings_did_worse_with_plain_full_text_search(demo_kb):
    for name, phrasings in (("own set", SWEDISH), ("held out", HELD_OUT)):
        before = sum(expected in _plain_full_text(text) for text, expected in phrasings)
        after = len(phrasings) - len(_misses(demo_kb.alpha, phrasings))
        print(f"\n{name}: plain full-text {before}/{len(phrasings)}, now {after}/{len(phrasings)}")
        assert after > before
