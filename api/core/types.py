"""Base object type: row visibility in one place (design.md §5)."""

from __future__ import annotations

import graphene
from graphene_django import DjangoObjectType


class CountedConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Rows matching, over all pages.")

    def resolve_total_count(self, info):
        # Set by DjangoConnectionField from one COUNT query.
        return self.length


class SamnavObjectType(DjangoObjectType):
    """Every type lists its `fields` explicitly and filters rows by the caller in `visible`."""

    class Meta:
        abstract = True

    @classmethod
    def visible(cls, queryset, info):
        raise NotImplementedError(f"{cls.__name__} must say which rows a caller may see")

    @classmethod
    def get_queryset(cls, queryset, info):
        return cls.visible(queryset, info)
