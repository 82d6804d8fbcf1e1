"""Mutations of costs."""

import graphene


class CostsMutations(graphene.ObjectType):
    pass
