"""Parsed and validated GraphQL documents, kept per process.

graphene-django parses and validates the query text of every request; for the portal's and the
integrations' fixed queries that was a third of a 50-ticket list's time (bench_graphql). A
document's validity depends only on the schema, the text and the rules, and the rules only on
settings (api/core/rules.validation_rules) and the language of their messages, so the outcome
is cached under those: a bounded LRU of the most recent texts. Execution still runs for every
request, with its variables, caller and agency. (A view given other `validation_rules` than
the settings' would not be served from here: Samnav has none.)
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from graphene_django.settings import graphene_settings
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from api.core.field_pairs import field_pairs
from api.core.rules import cheap_rules, max_page_size, validation_rules

CACHED_DOCUMENTS = 512


def rules_signature() -> tuple:
    """What the validation rules are built from (api/core/rules.validation_rules), and the
    language their messages are written in."""
    return (
        tuple(sorted(settings.SAMNAV_GRAPHQL.items())),
        max_page_size(),
        translation.get_language(),
    )


@lru_cache(maxsize=CACHED_DOCUMENTS)
def parsed_and_validated(
    schema: GraphQLSchema, query: str, signature: tuple
) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    limits = settings.SAMNAV_GRAPHQL
    try:
        document = parse(query, max_tokens=limits["MAX_TOKENS"])
    except GraphQLError as error:
        if "tokens. Parsing aborted" in error.message:
            message = _("The query is longer than %(limit)d tokens: parsing stopped there.")
            refused = {"code": "QUERY_TOO_COMPLEX"}
            return None, (
                GraphQLError(message % {"limit": limits["MAX_TOKENS"]}, extensions=refused),
            )
        return None, (error,)
    pairs = field_pairs(document)
    if pairs > limits["MAX_FIELD_PAIRS"]:
        message = _(
            "The query repeats too many fields in its selections (cost %(cost)d, limit "
            "%(limit)d): ask for each field once."
        ) % {"cost": pairs, "limit": limits["MAX_FIELD_PAIRS"]}
        return None, (GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"}),)
    errors = validate(schema, document, cheap_rules(), graphene_settings.MAX_VALIDATION_ERRORS)
    if errors:
        return document, tuple(errors)
    errors = validate(schema, document, validation_rules(), graphene_settings.MAX_VALIDATION_ERRORS)
    return document, tuple(errors)


def checked_document(
    schema: GraphQLSchema, query: str
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The query's document and its parse or validation errors (none: it may run)."""
    document, errors = parsed_and_validated(schema, query, rules_signature())
    return document, list(errors)
