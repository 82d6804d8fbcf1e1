"""The shared knowledge base: articles per service written by central IT, and the outcome of
each suggestion (did it end the matter without a ticket?). Home: public (no personal data).

Articles are searched with PostgreSQL full-text search in its `swedish` configuration
(docs/decisions/2026-11-22-knowledge-search.md). The search vector is a generated column
(title weighted A, body B), so every write path, the admin and bulk updates included, keeps
it current without code of ours.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEARCH_CONFIG = "swedish"
TITLE_MAX = 200
BODY_MAX = 20_000


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def search_vector_expression() -> CombinedExpression:
    """Title (weight A) and body (weight B) in the swedish configuration; IMMUTABLE, so
    PostgreSQL accepts it as a stored generated column."""
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


class ArticleBase(models.Model):
    """What every article holds, shared (Article, here) or an agency's own (AgencyArticle, in
    the agency's schema: services/knowledge/agency/models.py). Each names its service, its
    order and its indexes itself: the service is protected here and a cross-schema reference
    there, and index names are unique per schema."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH
    )
    published = models.BooleanField(_("published"), default=True)
    author_id = models.BigIntegerField(_("author (identity)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    search_vector = models.GeneratedField(
        expression=search_vector_expression(),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Article(ArticleBase):
    """A shared article, written by central IT for every agency."""

    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("service"),
    )

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["service__name", "title", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="knowledge_article_search"),
            models.Index(fields=["service", "published"], name="knowledge_article_service"),
        ]


class ArticleKind(models.TextChoices):
    SHARED = "shared", _("Shared (central IT)")
    AGENCY = "agency", _("The agency's own")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved without a ticket")
    TICKET_OPENED = "ticket_opened", _("Ticket opened anyway")
    NOT_HELPFUL = "not_helpful", _("Not helpful")


class SuggestionChannel(models.TextChoices):
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")


class SuggestionOutcome(models.Model):
    """What a person did after articles were suggested to them: one row per suggestion
    session that ended in an action (see services/knowledge/outcomes.py for the counting
    rule). Ids, a kind, a channel, an outcome and a time: no person, no text."""

    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "catalogue.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article_kind = models.CharField(
        _("article kind"), max_length=8, choices=ArticleKind.choices, blank=True
    )
    article_id = models.BigIntegerField(_("article id"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=SuggestionChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion outcome")
        verbose_name_plural = _("suggestion outcomes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at", "agency"], name="knowledge_outcome_at")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article_kind="", article_id__isnull=True)
                    | (~models.Q(article_kind="") & models.Q(article_id__isnull=False))
                ),
                name="knowledge_outcome_article_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.outcome} {self.at:%Y-%m-%d}"
