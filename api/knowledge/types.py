"""GraphQL types of the knowledge base.

`KnowledgeArticle` is an interface with two node types: `SharedKnowledgeArticle` (central IT's,
in public) and `AgencyKnowledgeArticle` (an agency's own, in its schema, only on its host).
Who sees which rows is decided by the knowledge policies (services/knowledge/policies.py), for
the types and, through `policies.scope`, for the lists (services/knowledge/search.py `Scope`).
"""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay
from graphql import GraphQLError

from api.core.permissions import require_user, viewer
from api.core.refs import ServiceRef
from api.core.types import SamnavObjectType
from services.knowledge import policies
from services.knowledge.agency.models import AgencyArticle
from services.knowledge.models import (
    Article,
    ArticleKind,
    Language,
    Outcome,
    SuggestionChannel,
)

ArticleKindEnum = graphene.Enum.from_enum(ArticleKind, name="KnowledgeArticleKind")
LanguageEnum = graphene.Enum.from_enum(Language, name="KnowledgeLanguage")
OutcomeEnum = graphene.Enum.from_enum(Outcome, name="SuggestionOutcomeKind")
SuggestionChannelEnum = graphene.Enum.from_enum(SuggestionChannel, name="SuggestionChannel")


def require_reader(info):
    user = require_user(info)
    if not policies.reads_knowledge(viewer(info)):
        raise GraphQLError(
            _("The knowledge base is for the agency's members and central IT."),
            extensions={"code": "FORBIDDEN"},
        )
    return user


class KnowledgeArticle(graphene.Interface):
    """An article of the knowledge base: shared (central IT) or the agency's own."""

    class Meta:
        interfaces = (relay.Node,)

    id = graphene.ID(required=True)
    kind = graphene.Field(ArticleKindEnum, required=True)
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    language = graphene.Field(LanguageEnum, required=True)
    published = graphene.Boolean(required=True)
    service = graphene.Field(ServiceRef, required=True)
    updated_at = graphene.DateTime(required=True)
    rank = graphene.Float(description="Search rank (higher is better); null when not searched.")

    @classmethod
    def resolve_type(cls, instance, info):
        if isinstance(instance, AgencyArticle):
            return AgencyKnowledgeArticle
        return SharedKnowledgeArticle


class _ArticleFields:
    def resolve_language(self, info):
        return self.language

    def resolve_service(self, info):
        # select_related by every list and lookup
        return ServiceRef(
            id=relay.Node.to_global_id("Service", self.service_id), name=self.service.name
        )

    def resolve_rank(self, info):
        return getattr(self, "rank", None)


class SharedKnowledgeArticle(_ArticleFields, SamnavObjectType):
    class Meta:
        model = Article
        name = "SharedKnowledgeArticle"
        interfaces = (KnowledgeArticle, relay.Node)  # Node's global id wins
        fields = ("id", "title", "body", "published", "updated_at")

    policy = staticmethod(policies.shared_articles)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("service")

    def resolve_kind(self, info):
        return ArticleKind.SHARED


class AgencyKnowledgeArticle(_ArticleFields, SamnavObjectType):
    class Meta:
        model = AgencyArticle
        name = "AgencyKnowledgeArticle"
        interfaces = (KnowledgeArticle, relay.Node)  # Node's global id wins
        fields = ("id", "title", "body", "published", "updated_at")

    policy = staticmethod(policies.agency_articles)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("service")

    def resolve_kind(self, info):
        return ArticleKind.AGENCY


class KnowledgeArticleConnection(relay.Connection):
    class Meta:
        node = KnowledgeArticle

    total_count = graphene.Int(required=True, description="Rows matching, over all pages.")

    def resolve_total_count(self, info):
        return self.length


class SelfHelpRow(graphene.ObjectType):
    """One service in one month: suggestion sessions that ended in an action, and how."""

    month = graphene.String(required=True, description='"2026-11"')
    service = graphene.Field(ServiceRef, description="Null: suggestions outside any service.")
    shown = graphene.Int(required=True, description="Suggestion sessions the person acted on.")
    resolved = graphene.Int(required=True, description="Ended without a ticket.")
    ticket_opened = graphene.Int(required=True)
    not_helpful = graphene.Int(required=True)
    resolved_rate = graphene.Decimal(
        required=True, description="resolved / shown, 3 decimal places (exact, not a float)."
    )
    resolved_permille = graphene.Int(required=True, description="The same rate in per mille.")

    @staticmethod
    def of(row) -> SelfHelpRow:
        service = None
        if row.service_id is not None:
            service = ServiceRef(
                id=relay.Node.to_global_id("Service", row.service_id), name=row.service_name
            )
        return SelfHelpRow(
            month=f"{row.month:%Y-%m}",
            service=service,
            shown=row.shown,
            resolved=row.resolved,
            ticket_opened=row.ticket_opened,
            not_helpful=row.not_helpful,
            resolved_rate=row.resolved_rate,
            resolved_permille=row.resolved_permille,
        )
