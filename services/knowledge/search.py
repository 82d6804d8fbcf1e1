"""Searching the knowledge base: shared articles (public) and, when an agency is given, that
agency's own articles (its schema), merged by rank.

PostgreSQL full-text search does the work (stemming: "skrivare", "skrivaren" and "skrivarna"
all become `skriv`; stop words are dropped); each table has a stored, GIN-indexed search vector
in the configuration of the article's language, the title weighted A and the body B. The
question is read in Swedish and English, rewritten with the synonym table and forgiven its
misspellings by trigram similarity to the titles (services/knowledge/matching.py;
docs/decisions/2026-12-07-knowledge-search-language.md). Two kinds of question:

- `search`: what a person types into a search box, read as a web search (`websearch`:
  every word must match, "quoted phrases", -excluded words).
- `suggest`: what a person writes while describing a problem. A description is a sentence
  (“Outlook startar inte sedan i morse”), and requiring every word would rarely match, so its
  words are joined with `or` (still a `websearch` query) and the rank orders the articles
  that share the most, and the most weighty, words with it.

Each question costs one query per table (plus one COUNT per table for a page), whatever the
number of articles: constant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.errors import KnowledgeErrorCode as Code
from services.knowledge.matching import Matcher
from services.knowledge.models import Article, ArticleKind

if TYPE_CHECKING:
    from tenants.models import Agency

MAX_SEARCH_LENGTH = 200
MAX_SUGGEST_TEXT = 4000  # the chat's limit; longer descriptions are read up to here
MAX_SUGGEST_WORDS = 40
MAX_SUGGESTIONS = 10
DEFAULT_SUGGESTIONS = 5
_WORD = re.compile(r"\w+")
_OPERATOR_WORDS = frozenset({"or"})  # websearch reads a bare `or` as the operator


@dataclass(frozen=True)
class Hit:
    kind: str  # ArticleKind
    article: Article | AgencyArticle
    rank: float = 0.0


def check_search_text(text: str | None, field: str = "search") -> str:
    """The search text stripped; a ValidationError naming `field` when it is too long."""
    text = (text or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Search for at most %(max)d characters.") % {"max": MAX_SEARCH_LENGTH},
                    code=Code.TOO_LONG,
                )
            }
        )
    return text


def any_word_query(text: str) -> str:
    """The distinct words of a description joined with `or` (websearch syntax); punctuation,
    quotes and minus signs are dropped so nothing in it acts as an operator."""
    seen: list[str] = []
    for word in _WORD.findall((text or "")[:MAX_SUGGEST_TEXT].lower()):
        if word not in seen and word not in _OPERATOR_WORDS:
            seen.append(word)
            if len(seen) == MAX_SUGGEST_WORDS:
                break
    return " or ".join(seen)


def _ranked(qs: QuerySet[Any], query: Matcher, service_id: int | None) -> QuerySet[Any]:
    qs = query.apply(qs)
    if service_id is not None:
        qs = qs.filter(service_id=service_id)
    return qs.select_related("service").order_by("-rank", "id")


def _merge(shared: list, own: list, limit: int) -> list[Hit]:
    hits = [Hit(ArticleKind.SHARED, a, a.rank) for a in shared]
    hits += [Hit(ArticleKind.AGENCY, a, a.rank) for a in own]
    # best first; on a tie the agency's own article (the more specific one) first
    hits.sort(key=lambda h: (-h.rank, h.kind != ArticleKind.AGENCY, h.article.pk))
    return hits[:limit]


def search(
    agency: Agency | None,
    text: str,
    service_id: int | None = None,
    limit: int = DEFAULT_SUGGESTIONS,
    *,
    any_word: bool = False,
) -> list[Hit]:
    """Published articles matching `text`, best first: the shared ones, and the agency's own
    when `agency` is given. Empty text finds nothing. Two queries."""
    raw = (text or "")[:MAX_SUGGEST_TEXT]
    text = any_word_query(raw) if any_word else raw.strip()
    if not text.strip() or limit < 1:
        return []
    query = Matcher.of(text, any_word=any_word, raw=raw)
    shared = list(_ranked(Article.objects.filter(published=True), query, service_id)[:limit])
    own: list = []
    if agency is not None:
        with tenant_context(agency):
            own = list(
                _ranked(AgencyArticle.objects.filter(published=True), query, service_id)[:limit]
            )
    return _merge(shared, own, limit)


def suggest(
    agency: Agency | None,
    text: str,
    service_id: int | None = None,
    limit: int = DEFAULT_SUGGESTIONS,
) -> list[Hit]:
    """Articles to suggest while a person describes a problem (any web channel)."""
    limit = max(0, min(limit, MAX_SUGGESTIONS))
    return search(agency, text, service_id, limit, any_word=True)


# --- pages of the article list ----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose articles a list shows: the shared ones (drafts too for their editors) and, on an
    agency's host, that agency's own (drafts too for its admins)."""

    agency: object | None = None
    shared_drafts: bool = False
    agency_drafts: bool = False


def _listed(
    qs: QuerySet[Any], drafts: bool, service_id: int | None, query: Matcher | None
) -> QuerySet[Any]:
    if not drafts:
        qs = qs.filter(published=True)
    if query is not None:
        return _ranked(qs, query, service_id)
    if service_id is not None:
        qs = qs.filter(service_id=service_id)
    return qs.select_related("service").order_by("service__name", "title", "id")


def shared_list(scope: Scope, text: str) -> QuerySet[Article]:
    """The shared articles of a list page as one queryset (a paginator pages it): searched,
    best first; otherwise by service name, then title."""
    text = (text or "").strip()
    query = Matcher.of(text, any_word=False) if text else None
    return _listed(Article.objects.all(), scope.shared_drafts, None, query)


def page(
    scope: Scope, text: str, service_id: int | None, start: int, count: int
) -> tuple[list[Hit], int]:
    """Rows `start`..`start+count` of the merged list, and how many there are in all.
    Searched: best first. Otherwise: by service name, then title. Four queries."""
    text = (text or "").strip()
    query = Matcher.of(text, any_word=False) if text else None
    end = start + count

    def fetch(qs: QuerySet[Any]) -> tuple[list, int]:
        return list(qs[:end]), qs.count()

    shared, shared_total = fetch(
        _listed(Article.objects.all(), scope.shared_drafts, service_id, query)
    )
    own: list = []
    own_total = 0
    if scope.agency is not None:
        with tenant_context(scope.agency):
            own, own_total = fetch(
                _listed(AgencyArticle.objects.all(), scope.agency_drafts, service_id, query)
            )
    if query is not None:
        hits = _merge(shared, own, end)
    else:
        hits = [Hit(ArticleKind.SHARED, a) for a in shared]
        hits += [Hit(ArticleKind.AGENCY, a) for a in own]
        hits.sort(
            key=lambda h: (
                h.article.service.name,
                h.article.title,
                h.kind != ArticleKind.AGENCY,
                h.article.pk,
            )
        )
    return hits[start:end], shared_total + own_total
