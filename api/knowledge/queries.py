"""Queries of the knowledge base: the article list (searchable), suggestions while a person
describes a problem, and the self-help report."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphene import relay
from graphql import GraphQLError
from graphql_relay import cursor_to_offset, from_global_id, offset_to_cursor

from api.core.permissions import host_agency, require_user, viewer
from api.core.rules import max_page_size
from api.knowledge.types import (
    AgencyKnowledgeArticle,
    KnowledgeArticle,
    KnowledgeArticleConnection,
    SelfHelpRow,
    SharedKnowledgeArticle,
    require_reader,
)
from services.knowledge import outcomes, policies
from services.knowledge import search as kb
from tenants.models import Agency

DEFAULT_PAGE = 20


def bad_input(message: str, field: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": field})


def from_validation(exc: ValidationError) -> GraphQLError:
    field, errors = next(iter(exc.error_dict.items()))
    return bad_input(str(errors[0].message), field)


def service_pk(global_id: str | None, field: str = "service") -> int | None:
    if global_id is None:
        return None
    try:
        type_name, pk = from_global_id(global_id)
    except Exception:  # noqa: BLE001 - any undecodable id is the caller's mistake
        type_name, pk = "", ""
    if type_name != "Service" or not str(pk).isdigit():
        raise bad_input(_("Not a service id."), field)
    return int(pk)


def _forbidden() -> GraphQLError:
    return GraphQLError(
        _("The self-help report is for central IT and agency admins."),
        extensions={"code": "FORBIDDEN"},
    )


def _page_bounds(first: int | None, after: str | None) -> tuple[int, int]:
    cap = max_page_size()
    count = DEFAULT_PAGE if first is None else first
    if not 0 <= count <= cap:
        raise bad_input(_("first must be between 0 and %(max)d.") % {"max": cap}, "first")
    start = 0
    if after:
        offset = cursor_to_offset(after)
        if offset is None or offset < 0:
            raise bad_input(_("Not a cursor of this list."), "after")
        start = offset + 1
    return start, count


def _nodes(hits) -> list:
    out = []
    for hit in hits:
        if hit.rank:
            hit.article.rank = hit.rank
        out.append(hit.article)
    return out


class KnowledgeQueries(graphene.ObjectType):
    knowledge_articles = graphene.Field(
        graphene.NonNull(KnowledgeArticleConnection),
        search=graphene.String(
            description='Words to look for (web-search syntax: every word, "a phrase", '
            f"-not); at most {kb.MAX_SEARCH_LENGTH} characters. Best match first."
        ),
        service=graphene.ID(description="Only this service's articles."),
        first=graphene.Int(description=f"At most 100; default {DEFAULT_PAGE}."),
        after=graphene.String(),
        description="Articles of the knowledge base: on an agency's host the shared ones and "
        "the agency's own; on the central host the shared ones. Drafts only for their editors.",
    )
    suggest_articles = graphene.List(
        graphene.NonNull(KnowledgeArticle),
        required=True,
        text=graphene.String(required=True, description="What the person has written so far."),
        service=graphene.ID(),
        limit=graphene.Int(default_value=kb.DEFAULT_SUGGESTIONS),
        description="Articles to suggest while a person describes a problem (best first; "
        "none for empty text). Record what they did with recordSuggestionOutcome.",
    )
    self_help_report = graphene.List(
        graphene.NonNull(SelfHelpRow),
        required=True,
        month=graphene.String(description='"2026-11"; every month when absent.'),
        agency=graphene.String(description="An agency's slug (central host only)."),
        description="Per month and service: suggestions acted on, resolved without a ticket, "
        "and the rate. Central IT sees every agency; an agency's admins their own.",
    )
    knowledge_article = graphene.Field(
        KnowledgeArticle,
        id=graphene.ID(required=True),
        description="One article (null when unknown or not yours to see).",
    )

    def resolve_knowledge_articles(self, info, search=None, service=None, first=None, after=None):
        require_reader(info)
        try:
            text = kb.check_search_text(search)
        except ValidationError as exc:
            raise from_validation(exc) from exc
        start, count = _page_bounds(first, after)
        hits, total = kb.page(policies.scope(viewer(info)), text, service_pk(service), start, count)
        edges = [
            KnowledgeArticleConnection.Edge(node=node, cursor=offset_to_cursor(start + i))
            for i, node in enumerate(_nodes(hits))
        ]
        connection = KnowledgeArticleConnection(
            edges=edges,
            page_info=relay.PageInfo(
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
                has_previous_page=start > 0,
                has_next_page=start + len(edges) < total,
            ),
        )
        connection.length = total
        return connection

    def resolve_suggest_articles(self, info, text, service=None, limit=kb.DEFAULT_SUGGESTIONS):
        require_reader(info)
        hits = kb.suggest(host_agency(info), text, service_pk(service), limit)
        return _nodes(hits)

    def resolve_knowledge_article(self, info, id):
        require_reader(info)
        try:
            type_name, _pk = from_global_id(id)
        except Exception:  # noqa: BLE001 - an undecodable id names nothing
            return None
        if type_name not in (SharedKnowledgeArticle._meta.name, AgencyKnowledgeArticle._meta.name):
            return None
        return relay.Node.get_node_from_global_id(info, id)

    def resolve_self_help_report(self, info, month=None, agency=None):
        user = require_user(info)
        host = host_agency(info)
        target = host
        if host is None and agency is not None:
            target = Agency.objects.members().filter(slug=agency).first()
            if target is None and outcomes.may_read_report(user):
                raise bad_input(_("No such agency."), "agency")
            if target is None:  # which agencies exist is not for others to probe
                raise _forbidden()
        try:
            if host is not None and agency not in (None, host.slug):
                raise PermissionDenied  # another agency's figures are not on this host
            rows = outcomes.self_help_report(user, agency=target, month=month)
        except PermissionDenied as exc:
            raise _forbidden() from exc
        except ValidationError as exc:
            raise from_validation(exc) from exc
        return [SelfHelpRow.of(r) for r in rows]
