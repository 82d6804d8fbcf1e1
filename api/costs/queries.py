"""Queries of costs."""

import graphene


class CostsQueries(graphene.ObjectType):
    pass
