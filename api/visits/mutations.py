"""Mutations of visits."""

import graphene


class VisitsMutations(graphene.ObjectType):
    pass
