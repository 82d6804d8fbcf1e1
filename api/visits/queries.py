"""Queries of visits."""

import graphene


class VisitsQueries(graphene.ObjectType):
    pass
