"""Mutations of projects."""

import graphene


class ProjectsMutations(graphene.ObjectType):
    pass
