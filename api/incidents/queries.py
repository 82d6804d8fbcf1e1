"""Queries of incidents."""

import graphene


class IncidentsQueries(graphene.ObjectType):
    pass
