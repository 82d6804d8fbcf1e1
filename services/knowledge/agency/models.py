"""An agency's own knowledge-base articles, visible only in that agency. Home: the agency's
schema. Searched together with the shared articles (services/knowledge/search.py)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.knowledge.models import ArticleBase


class AgencyArticle(ArticleBase):
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("service"),
    )

    class Meta:
        verbose_name = _("agency knowledge article")
        verbose_name_plural = _("agency knowledge articles")
        ordering = ["title", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="agency_article_search"),
            models.Index(fields=["service", "published"], name="agency_article_service"),
        ]
