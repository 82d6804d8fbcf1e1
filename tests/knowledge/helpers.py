"""Ids and reads for the knowledge tests."""

from __future__ import annotations

from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.knowledge.agency.models import AgencyArticle
from tests.knowledge.conftest import own


def sid(article) -> str:
    return to_global_id("SharedKnowledgeArticle", article.pk)


def aid(article) -> str:
    return to_global_id("AgencyKnowledgeArticle", article.pk)


def service_id(service) -> str:
    return to_global_id("Service", service.pk)


def agency_rows(agency) -> list[tuple]:
    with schema_context(agency.schema_name):
        return list(
            AgencyArticle.objects.order_by("pk").values_list("pk", "title", "body", "published")
        )


def beta_article_unknown_in_alpha(federation, service) -> AgencyArticle:
    """One of beta's own articles whose pk alpha does not have (sequences are per schema)."""
    with schema_context(federation.alpha.schema_name):
        alpha_max = max(AgencyArticle.objects.values_list("pk", flat=True), default=0)
    article = own(federation, federation.beta, service, "Betas VPN-kod", "Koden är 9876.")
    while article.pk <= alpha_max:
        article = own(federation, federation.beta, service, "Betas VPN-kod", "Koden är 9876.")
    return article
