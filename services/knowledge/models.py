"""The shared knowledge base: articles per service written by central IT, and the outcome of
each suggestion (did it end the matter without a ticket?). Home: public (no personal data).

Articles are searched with PostgreSQL full-text search in the configuration of their language
(docs/decisions/2026-11-22-knowledge-search.md, 2026-12-07-knowledge-search-language.md). The
search vector is a generated column (title weighted A, body B), so every write path, the admin
and bulk updates included, keeps it current without code of ours. Also here: the search
thesaurus (`Synonym`) and the readers' ratings of articles (`Rating`).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.expressions import Case, CombinedExpression, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEARCH_CONFIG = "swedish"
TITLE_MAX = 200
BODY_MAX = 20_000


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


# The text search configuration of each language (docs/decisions/2026-12-07-knowledge-search-
# language.md).
SEARCH_CONFIGS: dict[str, str] = {Language.SWEDISH: "swedish", Language.ENGLISH: "english"}


class RegConfigField(models.Field):
    """PostgreSQL's `regconfig` (a text search configuration), for typed constants."""

    def db_type(self, connection: object) -> str:
        return "regconfig"


def _config_of_language() -> Case:
    """The article's configuration, `'english'::regconfig` for English articles and
    `'swedish'::regconfig` otherwise: typed constants, so the expression stays IMMUTABLE."""
    return Case(
        When(
            language=Language.ENGLISH,
            then=Cast(Value(SEARCH_CONFIGS[Language.ENGLISH]), RegConfigField()),
        ),
        default=Cast(Value(SEARCH_CONFIGS[Language.SWEDISH]), RegConfigField()),
        output_field=RegConfigField(),
    )


def search_vector_expression() -> CombinedExpression:
    """Title (weight A) and body (weight B) in the configuration of the article's language;
    IMMUTABLE, so PostgreSQL accepts it as a stored generated column."""
    return SearchVector("title", weight="A", config=_config_of_language()) + SearchVector(
        "body", weight="B", config=_config_of_language()
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


class Synonym(models.Model):
    """A word as people write it (colloquial, misspelled, a brand) and the words the articles
    use for it. Searches rewrite their query with these rows (PostgreSQL's `ts_rewrite`; see
    services/knowledge/matching.py): the thesaurus lives in a table, not in a file on the
    database server. Filled from services/knowledge/synonym_data.py by the migrations."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    term = models.CharField(_("word people write"), max_length=60)
    means = models.CharField(_("words the articles use"), max_length=200)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["language", "term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="knowledge_synonym_term"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.means}"


class Rating(models.Model):
    """One person's verdict on one article: helpful or not. Once per person and article (a
    second verdict replaces the first); an agency's own articles are numbered per agency, so
    the agency is part of their key."""

    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    article_kind = models.CharField(_("article kind"), max_length=8, choices=ArticleKind.choices)
    article_id = models.BigIntegerField(_("article id"))
    user_id = models.BigIntegerField(_("rated by (identity)"))
    helpful = models.BooleanField(_("helpful"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("article rating")
        verbose_name_plural = _("article ratings")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article_kind", "article_id"], name="knowledge_rating_of")]
        constraints = [
            models.UniqueConstraint(
                fields=["article_id", "user_id"],
                condition=models.Q(article_kind="shared"),
                name="knowledge_rating_once_shared",
            ),
            models.UniqueConstraint(
                fields=["agency", "article_id", "user_id"],
                condition=models.Q(article_kind="agency"),
                name="knowledge_rating_once_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_kind} {self.article_id}: {self.helpful}"
