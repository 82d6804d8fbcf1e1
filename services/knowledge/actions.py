"""Write paths of the knowledge base: shared articles (central IT) and an agency's own
articles (its admins). Called by GraphQL mutations, the demo and commands alike.

Each action checks the actor first, validates every field before writing, names a bad field
with a `KnowledgeErrorCode`, and writes all or nothing. The search vector is a generated
column (services/knowledge/models.py), so every write keeps it current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.catalogue.models import Service
from services.knowledge import policies
from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.errors import KnowledgeErrorCode as Code
from services.knowledge.models import (
    BODY_MAX,
    TITLE_MAX,
    Article,
    ArticleKind,
    Language,
    Rating,
)
from services.validation import Errors, text
from tenants.models import Agency, User
from tenants.viewer import Viewer

ARTICLE_FIELDS = ("service_id", "title", "body", "language", "published")


@dataclass
class ArticleInput:
    service_id: int | None
    title: str
    body: str
    language: str = Language.SWEDISH
    published: bool = True


def may_edit_shared(actor: User | None) -> bool:
    return policies.edits_shared_articles(Viewer.of(actor))


def may_edit_agency(actor: User | None, agency: Agency) -> bool:
    return policies.edits_agency_articles(Viewer.of(actor, agency))


def _require_shared_editor(actor: User | None) -> None:
    """`actor=None` is the system itself (the demo, commands); requests always have a user."""
    if actor is not None and not may_edit_shared(actor):
        raise PermissionDenied(
            _("Shared articles are written by catalogue managers and the service desk.")
        )


def _require_agency_editor(actor: User | None, agency: Agency) -> None:
    if actor is not None and not may_edit_agency(actor, agency):
        raise PermissionDenied(_("Only the agency's admins write its own articles."))


def _validated(values: dict[str, Any]) -> dict[str, Any]:
    """Checks the fields present in `values` (all of them on create) and returns them clean."""
    errors = Errors()
    clean: dict[str, Any] = {}
    if "service_id" in values:
        pk = values["service_id"]
        if pk is None:
            errors.add("service", _("Choose a service."), Code.REQUIRED)
        elif not Service.objects.filter(pk=pk).exists():
            errors.add("service", _("No such service."), Code.NOT_FOUND)
        clean["service_id"] = pk
    if "title" in values:
        clean["title"] = text(
            errors,
            "title",
            values["title"],
            codes=Code,
            max_length=TITLE_MAX,
            required_message=_("Give the article a title."),
        )
    if "body" in values:
        clean["body"] = text(
            errors,
            "body",
            values["body"],
            codes=Code,
            max_length=BODY_MAX,
            required_message=_("Write the article's text."),
        )
    if "language" in values:
        if values["language"] not in Language.values:
            errors.add("language", _("Unknown language."), Code.INVALID)
        clean["language"] = values["language"]
    if "published" in values:
        if not isinstance(values["published"], bool):
            errors.add("published", _("Yes or no."), Code.INVALID)
        clean["published"] = values["published"]
    errors.raise_if_any()
    return clean


def _changes(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValueError(f"not article fields: {sorted(unknown)}")
    return _validated(values)


def _not_found() -> ValidationError:
    return ValidationError({"id": ValidationError(_("No such article."), code=Code.NOT_FOUND)})


# --- shared articles --------------------------------------------------------------------------


def create_shared_article(actor: User | None, data: ArticleInput) -> Article:
    _require_shared_editor(actor)
    clean = _validated(vars(data))
    with transaction.atomic():
        article = Article.objects.create(**clean, author_id=getattr(actor, "pk", None))
        record_event(actor, "knowledge.article.created", article, fields=sorted(clean))
    return article


def update_shared_article(actor: User | None, article_id: int, **values: Any) -> Article:
    _require_shared_editor(actor)
    clean = _changes(values)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            raise _not_found()
        for name, value in clean.items():
            setattr(article, name, value)
        article.updated_at = timezone.now()
        article.save(update_fields=[*clean, "updated_at"])
        record_event(actor, "knowledge.article.updated", article, fields=sorted(clean))
    return article


def unpublish_shared_article(actor: User | None, article_id: int) -> Article:
    return update_shared_article(actor, article_id, published=False)


# --- an agency's own articles -----------------------------------------------------------------


def create_agency_article(agency: Agency, actor: User | None, data: ArticleInput) -> AgencyArticle:
    _require_agency_editor(actor, agency)
    clean = _validated(vars(data))
    with tenant_context(agency), transaction.atomic():
        article = AgencyArticle.objects.create(**clean, author_id=getattr(actor, "pk", None))
        record_event(
            actor, "agencyknowledge.article.created", article, agency=agency, fields=sorted(clean)
        )
    return article


def update_agency_article(
    agency: Agency, actor: User | None, article_id: int, **values: Any
) -> AgencyArticle:
    _require_agency_editor(actor, agency)
    clean = _changes(values)
    with tenant_context(agency), transaction.atomic():
        article = AgencyArticle.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            raise _not_found()
        for name, value in clean.items():
            setattr(article, name, value)
        article.updated_at = timezone.now()
        article.save(update_fields=[*clean, "updated_at"])
        record_event(
            actor, "agencyknowledge.article.updated", article, agency=agency, fields=sorted(clean)
        )
    return article


# --- ratings ----------------------------------------------------------------------------------


def _published(agency: Agency, kind: str, article_id: int) -> bool:
    """Whether the agency's members can read this article (published, shared or their own)."""
    if kind == ArticleKind.SHARED:
        return Article.objects.filter(pk=article_id, published=True).exists()
    with tenant_context(agency):
        return AgencyArticle.objects.filter(pk=article_id, published=True).exists()


def rate_article(
    agency: Agency, actor: User, *, article_kind: str, article_id: int, helpful: bool
) -> Rating:
    """A member of `agency` says whether an article helped: once per person and article, a
    second verdict replacing the first."""
    if not policies.rates_articles(Viewer.of(actor, agency)):
        raise PermissionDenied(_("You have no role in this agency."))
    errors = Errors()
    if article_kind not in ArticleKind.values:
        errors.add("kind", _("Unknown article kind."), Code.INVALID)
    elif not _published(agency, article_kind, article_id):
        errors.add("article", _("No such article."), Code.NOT_FOUND)
    if not isinstance(helpful, bool):
        errors.add("helpful", _("Yes or no."), Code.INVALID)
    errors.raise_if_any()
    key = {"article_kind": article_kind, "article_id": article_id, "user_id": actor.pk}
    mine = Rating.objects.filter(**key)
    if article_kind == ArticleKind.AGENCY:  # numbered per agency
        mine = mine.filter(agency=agency)
    try:
        return _save_rating(mine, key, agency, helpful)
    except IntegrityError:  # the person's first verdict, saved by a parallel request: update it
        return _save_rating(mine, key, agency, helpful)


def _save_rating(mine: Any, key: dict[str, Any], agency: Agency, helpful: bool) -> Rating:
    with transaction.atomic():
        rating = mine.select_for_update().first() or Rating(**key)
        rating.agency = agency
        rating.helpful = helpful
        rating.at = timezone.now()
        rating.save()
    return rating
