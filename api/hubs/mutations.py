"""Mutations of hubs."""

import graphene


class HubsMutations(graphene.ObjectType):
    pass
