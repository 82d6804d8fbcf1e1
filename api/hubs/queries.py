"""Queries of hubs."""

import graphene


class HubsQueries(graphene.ObjectType):
    pass
