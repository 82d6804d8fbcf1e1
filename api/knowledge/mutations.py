"""Mutations of the knowledge base. Each calls one action of services/knowledge.

The host decides whose article is written: on the central host a shared article (central IT's
editors), on an agency's host that agency's own (its admins)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency
from api.core.refs import agency_of_host
from api.knowledge.types import (
    AgencyKnowledgeArticle,
    LanguageEnum,
    OutcomeEnum,
    SharedKnowledgeArticle,
    SuggestionChannelEnum,
)
from services.knowledge import actions, outcomes
from services.knowledge.agency.models import AgencyArticle
from services.knowledge.errors import KnowledgeErrorCode as Code
from services.knowledge.models import Article, ArticleKind, Language

SHARED = SharedKnowledgeArticle._meta.name
AGENCY = AgencyKnowledgeArticle._meta.name


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


def _ref(global_id: str | None, types: tuple[str, ...], field: str) -> tuple[str, int]:
    """(type name, pk) of a relay id of one of `types`, or NOT_FOUND naming `field`."""
    try:
        type_name, pk = from_global_id(global_id or "")
    except Exception:  # noqa: BLE001 - any undecodable id is unknown
        type_name, pk = "", ""
    if type_name not in types or not str(pk).isdigit():
        raise ValidationError({field: ValidationError(_("Unknown id."), code=Code.NOT_FOUND)})
    return type_name, int(pk)


def _service(global_id: str | None) -> int | None:
    return None if global_id is None else _ref(global_id, ("Service",), "service")[1]


class KnowledgeMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = Code
    error_type_name = "KnowledgeError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class ArticleMutation(KnowledgeMutation):
    class Meta:
        abstract = True

    shared_article = graphene.Field(
        SharedKnowledgeArticle, description="Set on the central host: central IT's article."
    )
    agency_article = graphene.Field(
        AgencyKnowledgeArticle, description="Set on an agency's host: the agency's own article."
    )

    @staticmethod
    def payload(article) -> dict:
        if isinstance(article, AgencyArticle):
            return {
                "agency_article": AgencyArticle.objects.select_related("service").get(pk=article.pk)
            }
        return {"shared_article": Article.objects.select_related("service").get(pk=article.pk)}


class KnowledgeArticleInput(graphene.InputObjectType):
    service = graphene.ID(required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    language = LanguageEnum(default_value=Language.SWEDISH.value)
    published = graphene.Boolean(default_value=True)


class KnowledgeArticleUpdateInput(graphene.InputObjectType):
    service = graphene.ID()
    title = graphene.String()
    body = graphene.String()
    language = LanguageEnum()
    published = graphene.Boolean(description="false unpublishes the article.")


class CreateKnowledgeArticle(ArticleMutation):
    """Write an article: shared on the central host, the agency's own on its host."""

    class Arguments:
        input = KnowledgeArticleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        actor, agency = current_user(info), host_agency(info)
        data = actions.ArticleInput(
            service_id=_service(input.service),
            title=input.title,
            body=input.body,
            language=_value(input.language),
            published=input.published,
        )
        if agency is None:
            article = actions.create_shared_article(actor, data)
        else:
            article = actions.create_agency_article(agency, actor, data)
        return cls.payload(article)


class UpdateKnowledgeArticle(ArticleMutation):
    """Change an article (only the fields sent); `published: false` unpublishes it."""

    class Arguments:
        id = graphene.ID(required=True)
        input = KnowledgeArticleUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        actor, agency = current_user(info), host_agency(info)
        type_name, pk = _ref(id, (SHARED, AGENCY), "id")
        values = {}
        for key, value in dict(input).items():
            if key == "service":
                values["service_id"] = _service(value) if value is not None else None
            else:
                values[key] = _value(value)
        if agency is None:
            if type_name != SHARED:
                raise ValidationError(
                    {"id": ValidationError(_("No such article."), code=Code.NOT_FOUND)}
                )
            article = actions.update_shared_article(actor, pk, **values)
        else:
            if type_name != AGENCY:
                raise PermissionDenied(
                    _("Shared articles are edited by central IT, on the central host.")
                )
            article = actions.update_agency_article(agency, actor, pk, **values)
        return cls.payload(article)


class RecordSuggestionOutcome(KnowledgeMutation):
    """What the person did after articles were suggested (one call per suggestion session,
    on the agency's host). `RESOLVED` (the article ended the matter, no ticket) needs the
    article; the others may name the service the person chose instead."""

    class Arguments:
        outcome = OutcomeEnum(required=True)
        channel = SuggestionChannelEnum(default_value="web")
        article = graphene.ID(description="The suggested article this is about.")
        service = graphene.ID(description="Without an article: the service chosen, if any.")

    recorded = graphene.Boolean(required=True)

    @classmethod
    def mutate(cls, root, info, **data):
        result = super().mutate(root, info, **data)
        if result.errors:
            result.recorded = False
        return result

    @classmethod
    def perform(cls, info, outcome, channel, article=None, service=None):
        agency = agency_of_host(info)
        kind = pk = None
        if article is not None:
            type_name, pk = _ref(article, (SHARED, AGENCY), "article")
            kind = ArticleKind.SHARED if type_name == SHARED else ArticleKind.AGENCY
        outcomes.record_outcome(
            agency,
            current_user(info),
            outcome=_value(outcome),
            channel=_value(channel),
            article_kind=kind,
            article_id=pk,
            service_id=_service(service),
        )
        return {"recorded": True}


class KnowledgeMutations(graphene.ObjectType):
    create_knowledge_article = CreateKnowledgeArticle.Field()
    update_knowledge_article = UpdateKnowledgeArticle.Field()
    record_suggestion_outcome = RecordSuggestionOutcome.Field()
