"""Parsed and validated GraphQL documents, kept per process.

graphene-django parses and validates the query text of every request; for the portal's and the
integrations' fixed queries that was a third of a 50-ticket list's time (bench_graphql). A
document's validity depends only on the schema, the text and the rules, and the rules only on
settings (api/core/view.validation_rules) and the language of their messages, so the outcome
is cached under those: a bounded LRU of the most recent texts. Execution still runs for every
request, with its variables, caller and agency. (A view given other `validation_rules` than
the settings' would not be served from here: Samnav has none.)
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from graphene_django.settings import graphene_settings
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

CACHED_DOCUMENTS = 512


def rules_signature() -> tuple:
    """What the validation rules are built from (api/core/view.validation_rules), and the
    language their messages are written in."""
    return (
        tuple(sorted(settings.SAMNAV_GRAPHQL.items())),
        settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"],
        translation.get_language(),
    )


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _checked(
    schema: GraphQLSchema, query: str, signature: tuple
) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    from api.core.view import validation_rules

    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    errors = validate(schema, document, validation_rules(), graphene_settings.MAX_VALIDATION_ERRORS)
    return document, tuple(errors)


def checked_document(
    schema: GraphQLSchema, query: str
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The query's document and its parse or validation errors (none: it may run)."""
    document, errors = _checked(schema, query, rules_signature())
    return document, list(errors)
