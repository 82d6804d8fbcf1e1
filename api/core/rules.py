"""The validation rules of every GraphQL request: the specification's rules plus our limits
(api/core/limits.py), read from the settings each time."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from graphql import specified_rules

from api.core.limits import (
    DEFAULT_MAX_LIST_ITEMS,
    DisableIntrospectionRule,
    alias_limit_rule,
    cost_limit_rule,
    depth_limit_rule,
    list_size_limit_rule,
    operation_limit_rule,
)


def max_page_size() -> int:
    """The most rows one page of a connection holds (graphene's RELAY_CONNECTION_MAX_LIMIT)."""
    return cast(int, settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"])


def max_list_items() -> int:
    return settings.SAMNAV_GRAPHQL.get("MAX_LIST_ITEMS", DEFAULT_MAX_LIST_ITEMS)


def validation_rules() -> tuple:
    """The specification's rules plus our limits, read from the settings on every request.

    graphene-django passes `validation_rules` to graphql-core's `validate` as THE rule list, so
    the specification's rules (fields exist, argument types, fragment cycles...) must be
    included here or they do not run at all.
    """
    limits = settings.SAMNAV_GRAPHQL
    rules = [
        *specified_rules,
        operation_limit_rule(limits["MAX_OPERATIONS"]),
        depth_limit_rule(limits["MAX_DEPTH"]),
        alias_limit_rule(limits["MAX_ALIASES"]),
        cost_limit_rule(limits["MAX_COST"], max_page_size()),
        list_size_limit_rule(max_list_items()),
    ]
    if not limits["INTROSPECTION"]:
        rules.append(DisableIntrospectionRule)
    return tuple(rules)


def cheap_rules() -> tuple:
    """The limits that need no type information beyond the document's shape: run first, on
    their own, so a document refused by them never pays for the whole validation."""
    limits = settings.SAMNAV_GRAPHQL
    return (
        operation_limit_rule(limits["MAX_OPERATIONS"]),
        depth_limit_rule(limits["MAX_DEPTH"]),
        alias_limit_rule(limits["MAX_ALIASES"]),
    )
