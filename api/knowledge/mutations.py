"""Mutations of knowledge."""

import graphene


class KnowledgeMutations(graphene.ObjectType):
    pass
