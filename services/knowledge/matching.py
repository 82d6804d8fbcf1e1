"""How a question is matched to articles: the SQL of one search, in one statement per table
(docs/decisions/2026-12-07-knowledge-search-language.md).

- Both languages. The text is read as a `swedish` and as an `english` query, OR-ed: each
  article's vector is in its own language's configuration, so Swedish words meet Swedish
  articles and English words English ones. When the text is clearly in one language
  (`guess_language`), articles in the other count half.
- Synonyms. Each language's query is rewritten with the `Synonym` table (PostgreSQL's
  `ts_rewrite`: "skrivarn" also asks for "skrivaren", "funkar" for "fungerar"), inside a
  scalar sub-select, so the table is read once per statement, not per row.
- Misspellings. Each longer word is compared with the title by trigram similarity
  (`knowledge_title_similarity`, pg_trgm's `word_similarity`; created by the knowledge
  migrations, exact title words only where pg_trgm is missing). A close enough word finds the
  article, and adds to its rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from services.knowledge.models import SEARCH_CONFIGS, Language

FUZZY_THRESHOLD = 0.6  # word_similarity at which a written word counts as a title word
FUZZY_WEIGHT = 0.3  # what such a word adds to the rank (times its similarity)
MAX_FUZZY_WORDS = 8
MIN_FUZZY_LENGTH = 4
OTHER_LANGUAGE_FACTOR = 0.3  # an article in the other language than the question's

_WORD = re.compile(r"\w+")
_OPERATORS = re.compile(r"[\"-]|\bor\b", re.IGNORECASE)


# Words that tell the languages apart in a short question (function words and the commonest
# problem words); å, ä and ö count for Swedish too.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH = _words(
    "the is isnt not my i a an to how can cant does doesnt dont won wont with on of and "
    "for it do keeps keep working work forgot forgotten password printer computer slow "
    "sound meeting start starts print share calendar new phone access please help what why"
)
_SWEDISH = _words(
    "inte jag och min mitt mina på är att det hur kan går har med till ett som funkar "
    "fungerar kommer ska vill få fått glömt datorn skrivaren mobilen hemma kontoret"
)


def guess_language(text: str) -> str | None:
    """Swedish or English when the words say so, None when they do not."""
    words = _WORD.findall(text.lower())
    english = sum(w in _ENGLISH for w in words)
    swedish = sum(w in _SWEDISH for w in words) + 2 * sum(c in "åäö" for c in text.lower())
    if english > swedish:
        return Language.ENGLISH
    if swedish > english:
        return Language.SWEDISH
    return None


def _synonyms_select(language: str) -> str:
    """The rewrite rules of one language for ts_rewrite: (target, target | meanings)."""
    config = f"'{SEARCH_CONFIGS[language]}'::regconfig"
    return (  # constants of ours only: the person's words are parameters
        f"SELECT to_tsquery({config}, term), "  # noqa: S608
        f"to_tsquery({config}, term || ' | ' || replace(means, ' ', ' | ')) "
        f"FROM knowledge_synonym WHERE language = '{language}' "
        f"AND length(to_tsvector({config}, term)) > 0"
    )


_QUERY = (
    "(SELECT ts_rewrite(websearch_to_tsquery('swedish'::regconfig, %s), %s) "
    "|| ts_rewrite(websearch_to_tsquery('english'::regconfig, %s), %s))"
)


@dataclass(frozen=True)
class Matcher:
    """One question, as SQL for any article table (shared or an agency's own)."""

    text: str  # websearch syntax
    any_word: bool  # a description: any word may match (else every word must)
    fuzzy_words: tuple[str, ...] = field(default=())
    language: str | None = None

    @classmethod
    def of(cls, text: str, *, any_word: bool, raw: str | None = None) -> Matcher:
        """`text` is the websearch query; `raw` what the person wrote (default `text`)."""
        raw = text if raw is None else raw
        words: list[str] = []
        if any_word or not _OPERATORS.search(raw):
            for word in _WORD.findall(raw.lower()):
                if len(word) >= MIN_FUZZY_LENGTH and word not in words:
                    words.append(word)
        return cls(text, any_word, tuple(words[:MAX_FUZZY_WORDS]), guess_language(raw))

    def _query(self) -> tuple[str, list[Any]]:
        sv, en = Language.SWEDISH, Language.ENGLISH
        return _QUERY, [self.text, _synonyms_select(sv), self.text, _synonyms_select(en)]

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        """Matching rows of `qs`, annotated with `rank` (not yet ordered)."""
        table = qs.model._meta.db_table
        vector, title, language = (
            f'"{table}"."{c}"' for c in ("search_vector", "title", "language")
        )
        query, query_params = self._query()
        similar = [f"knowledge_title_similarity(%s, {title})" for _ in self.fuzzy_words]
        fuzzy_sum = " + ".join(f"(CASE WHEN {s} >= %s THEN {s} ELSE 0 END)" for s in similar)
        fuzzy_params: list[Any] = []
        for word in self.fuzzy_words:
            fuzzy_params += [word, FUZZY_THRESHOLD, word]
        if self.language is None:
            factor, factor_params = "1.0", []
        else:
            factor = f"(CASE WHEN {language} = %s THEN 1.0 ELSE %s END)"
            factor_params = [self.language, OTHER_LANGUAGE_FACTOR]
        rank = f"ts_rank({vector}, {query}) * {factor}"
        rank_params = [*query_params, *factor_params]
        if similar:
            rank = f"{rank} + %s * ({fuzzy_sum})"
            rank_params += [FUZZY_WEIGHT, *fuzzy_params]
        where = f"{vector} @@ {query}"
        where_params = list(query_params)
        if similar:
            if self.any_word:
                near = " OR ".join(f"{s} >= %s" for s in similar)
            else:  # every written word near a title word (stop words excepted)
                near = " AND ".join(
                    f"({s} >= %s OR length(to_tsvector('swedish'::regconfig, %s)) = 0)"
                    for s in similar
                )
            where = f"({where} OR ({near}))"
            for word in self.fuzzy_words:
                where_params += [word, FUZZY_THRESHOLD] + ([] if self.any_word else [word])
        # S611: the SQL is built of our constants and column names; every word is a parameter
        rank_sql = RawSQL(rank, rank_params, output_field=FloatField())  # noqa: S611
        where_sql = RawSQL(where, where_params, output_field=BooleanField())  # noqa: S611
        return qs.annotate(rank=rank_sql).filter(where_sql)
