"""An agency's own knowledge-base articles, visible only in that agency. Home: the agency's
schema. Searched together with the shared articles (services/knowledge/search.py)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.knowledge.models import TITLE_MAX, Language, search_vector_expression


class AgencyArticle(models.Model):
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("service"),
    )
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
        verbose_name = _("agency knowledge article")
        verbose_name_plural = _("agency knowledge articles")
        ordering = ["title", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="agency_article_search"),
            models.Index(fields=["service", "published"], name="agency_article_service"),
        ]

    def __str__(self) -> str:
        return self.title
