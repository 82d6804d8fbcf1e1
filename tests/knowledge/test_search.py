"""PostgreSQL full-text search in Swedish: stemming, ranking and scope
(services/knowledge/search.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.knowledge import search
from services.knowledge.models import ArticleKind

pytestmark = pytest.mark.django_db


def titles(hits):
    return [h.article.title for h in hits]


def test_swedish_stemming_finds_inflected_forms(kb):
    # when searching the indefinite singular "skrivare" (central host: shared articles only)
    hits = search.search(None, "skrivare")
    # then the article about "skrivaren"/"skrivarna" is found; the draft is not
    assert titles(hits) == ["Skrivaren skriver inte ut"]
    # and the plural and definite forms find it too
    assert titles(search.search(None, "skrivarna")) == ["Skrivaren skriver inte ut"]
    assert titles(search.search(None, "skrivaren")) == ["Skrivaren skriver inte ut"]


def test_a_title_match_ranks_above_a_body_match(kb):
    # given "VPN" in one article's title and in another's body only
    hits = search.search(None, "vpn")
    # then the title match comes first
    assert titles(hits) == ["VPN kopplar ner", "Arbeta hemifrån"]
    assert hits[0].rank > hits[1].rank > 0


def test_web_search_needs_every_word_and_honours_exclusions(kb):
    assert titles(search.search(None, "vpn nätverk")) == ["VPN kopplar ner"]
    assert titles(search.search(None, "vpn -nätverk")) == ["Arbeta hemifrån"]
    assert titles(search.search(None, '"skriver inte ut"')) == ["Skrivaren skriver inte ut"]


def test_an_agency_sees_its_own_articles_merged_by_rank_and_never_anothers(federation, kb):
    # when alpha searches for printers
    hits = search.search(federation.alpha, "skrivare", limit=10)
    # then its own and the shared article come back, never beta's
    assert sorted(titles(hits)) == ["Alfas skrivare på plan 3", "Skrivaren skriver inte ut"]
    assert {h.kind for h in hits} == {ArticleKind.SHARED, ArticleKind.AGENCY}
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    # and beta sees its own instead of alpha's
    beta = titles(search.search(federation.beta, "skrivare", limit=10))
    assert sorted(beta) == ["Betas hemliga skrivarrutin", "Skrivaren skriver inte ut"]


def test_a_description_suggests_articles_that_share_any_of_its_words(federation, kb):
    # given a person describing the problem in a sentence (not every word is in an article)
    text = "Hej! Skrivaren på plan 3 skriver inte ut sedan i morse, vad gör jag?"
    # then the articles sharing the most weighty words come first
    hits = search.suggest(federation.alpha, text)
    assert titles(hits) == ["Alfas skrivare på plan 3", "Skrivaren skriver inte ut"]
    # and a service narrows them
    assert titles(search.suggest(federation.alpha, text, service_id=kb.vpn.pk)) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "och i på", "-- \" ' or OR"])
def test_empty_text_or_only_stop_words_suggest_nothing_without_error(federation, kb, text):
    assert search.suggest(federation.alpha, text) == []


def test_suggestion_costs_two_queries_whatever_the_number_of_articles(federation, kb):
    with CaptureQueriesContext(connection) as ctx:
        search.suggest(federation.alpha, "skrivare vpn", limit=10)
    assert len([q for q in ctx.captured_queries if "knowledge" in q["sql"]]) == 2


def test_too_long_search_text_is_refused(kb):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        search.check_search_text("a" * (search.MAX_SEARCH_LENGTH + 1))
    assert exc.value.error_dict["search"][0].code == "too_long"
    assert search.check_search_text("  skrivare ") == "skrivare"
