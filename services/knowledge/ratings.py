"""Reading the ratings of articles: a person's own verdict (for the article page) and the
tallies of many articles at once (for the editors' list). Written by
`services.knowledge.actions.rate_article`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from services.knowledge import policies
from services.knowledge.models import ArticleKind, Rating
from tenants.viewer import Viewer


@dataclass(frozen=True)
class Tally:
    helpful: int = 0
    not_helpful: int = 0


def my_verdict(viewer: Viewer, kind: str, article_id: int) -> bool | None:
    """The viewer's own verdict on an article of their host's agency: helpful, not, or None."""
    if not policies.rates_articles(viewer) or viewer.user_id is None:
        return None
    mine = Rating.objects.filter(article_kind=kind, article_id=article_id, user_id=viewer.user_id)
    if kind == ArticleKind.AGENCY:
        mine = mine.filter(agency=viewer.agency)
    return mine.values_list("helpful", flat=True).first()


def shared_tallies(viewer: Viewer, article_ids: Iterable[int]) -> dict[int, Tally]:
    """Helpful and not helpful per shared article, every agency's readers counted; for the
    articles' editors only (empty for anyone else). One query."""
    ids = list(article_ids)
    if not ids or not policies.reads_ratings(viewer):
        return {}
    rows = (
        Rating.objects.filter(article_kind=ArticleKind.SHARED, article_id__in=ids)
        .values("article_id")
        .annotate(
            yes=Count("id", filter=Q(helpful=True)),
            no=Count("id", filter=Q(helpful=False)),
        )
    )
    return {r["article_id"]: Tally(r["yes"], r["no"]) for r in rows}
