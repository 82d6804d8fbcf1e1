"""Search that understands people (services/knowledge/matching.py): the synonym table rewrites
the question, trigrams forgive misspelt title words, English questions meet English articles;
and ratings are once per person and article (services/knowledge/actions.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.knowledge import actions, search
from services.knowledge.matching import guess_language
from services.knowledge.models import ArticleKind, Rating, Synonym
from tests.knowledge.conftest import shared

pytestmark = pytest.mark.django_db


def titles(hits):
    return [h.article.title for h in hits]


def test_the_synonym_table_rewrites_the_question(kb):
    # "lirare" is no word of any article, and no synonym yet
    assert search.suggest(None, "lirare strular") == []
    # once the table says it means a printer, the printer article is found
    Synonym.objects.create(language="sv", term="lirare", means="skrivare")
    assert titles(search.suggest(None, "lirare strular"))[:1] == ["Skrivaren skriver inte ut"]
    # in the search box too (every word must match: the rewritten word does)
    assert titles(search.search(None, "lirare")) == ["Skrivaren skriver inte ut"]


def test_a_misspelt_title_word_is_forgiven(kb):
    # no stem, synonym or exact word: only the trigrams of "skrivaaren" are near the title's
    assert titles(search.suggest(None, "skrivaaren"))[:1] == ["Skrivaren skriver inte ut"]
    assert titles(search.search(None, "skrivaaren")) == ["Skrivaren skriver inte ut"]
    # a word far from every title finds nothing
    assert search.suggest(None, "qwertyuiop") == []


def test_english_questions_meet_english_articles_first(federation, kb):
    english = shared(
        federation, kb.printing, "The printer does not print", "Check paper and toner."
    )
    actions.update_shared_article(None, english.pk, language="en")
    # an English question: the English article, ranked above the Swedish one
    assert titles(search.suggest(None, "printer not printing"))[0] == english.title
    # a Swedish question: the Swedish article first
    assert titles(search.suggest(None, "skrivaren skriver inte"))[0] == "Skrivaren skriver inte ut"
    assert guess_language("my printer does not work") == "en"
    assert guess_language("skrivaren funkar inte") == "sv"
    assert guess_language("vpn") is None


def test_a_long_description_still_costs_two_queries(federation, kb):
    text = "skrivarn funkar inte och lössenordet har gått ut, vpn:en bryts hela tiden " * 20
    with CaptureQueriesContext(connection) as ctx:
        hits = search.suggest(federation.alpha, text, limit=10)
    assert len([q for q in ctx.captured_queries if "knowledge" in q["sql"]]) == 2
    assert "Skrivaren skriver inte ut" in titles(hits)


def test_a_rating_is_once_per_person_and_article_and_may_change(federation, kb):
    staff = federation.user("alpha-staff")

    def rate(helpful, user=staff, kind=ArticleKind.SHARED, pk=None):
        return actions.rate_article(
            federation.alpha,
            user,
            article_kind=kind,
            article_id=pk or kb.printer.pk,
            helpful=helpful,
        )

    rate(True)
    rate(False)
    assert list(Rating.objects.values_list("user_id", "helpful")) == [(staff.pk, False)]
    rate(True, user=federation.user("alpha-admin"))
    assert Rating.objects.count() == 2
    # the agency's own article is rated in the same way; another agency's is unknown here
    rate(True, kind=ArticleKind.AGENCY, pk=kb.alpha_own.pk)
    with pytest.raises(ValidationError) as exc:
        rate(True, pk=kb.draft.pk)
    assert exc.value.error_dict["article"][0].code == "not_found"
    with pytest.raises(ValidationError) as exc:
        rate(True, kind="both")
    assert "kind" in exc.value.error_dict
    # someone with no role in the agency may not
    with pytest.raises(PermissionDenied):
        rate(True, user=federation.user("beta-staff"))
    with pytest.raises(PermissionDenied):
        rate(True, user=federation.user("desk"))
    assert Rating.objects.count() == 3


def test_without_pg_trgm_search_still_works_on_exact_title_words(kb):
    # given the function the migration creates where pg_trgm cannot be (this test's
    # transaction only)
    import importlib

    migration = importlib.import_module(
        "services.knowledge.migrations.0002_language_search_synonyms_ratings"
    )
    sql = migration._SIMILARITY.format(
        content=migration._CONTENT_WORD, measure=migration.WITHOUT_TRIGRAMS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
    # then a misspelling is not forgiven, but the search runs and finds whole words
    assert search.suggest(None, "skrivaaren") == []
    assert titles(search.suggest(None, "skrivaren"))[:1] == ["Skrivaren skriver inte ut"]
    assert titles(search.suggest(None, "skrivarn funkar inte"))[:1] == ["Skrivaren skriver inte ut"]
