"""Base object type: row visibility in one place (design.md §5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene
from graphene_django import DjangoObjectType

from api.core import money  # noqa: F401  (amount columns become `Ore`, api/core/money.py)
from api.core.permissions import viewer


class CountedConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Rows matching, over all pages.")

    def resolve_total_count(self, info):
        # Set by DjangoConnectionField from one COUNT query.
        return self.length


class SamnavObjectType(DjangoObjectType):
    """Every type lists its `fields` explicitly and names its domain's `policy`: a function of
    (viewer, queryset) from `services/<domain>/policies.py` that keeps
    the rows the viewer may see. `load` adds what the type reads (select_related,
    prefetch_related) and never filters by who asks (docs/decisions/2026-12-07-viewer-and-
    policies.md; tests/security/test_policies.py holds every type to it)."""

    class Meta:
        abstract = True

    # staticmethod(services.<domain>.policies.<rows>): (viewer, queryset) -> queryset
    policy: Callable[..., Any] | None = None

    @classmethod
    def load(cls, queryset, info):
        return queryset

    @classmethod
    def get_queryset(cls, queryset, info):
        if cls.policy is None:
            raise NotImplementedError(f"{cls.__name__} must name the policy of its rows")
        return cls.load(cls.policy(viewer(info), queryset), info)
