"""Queries of knowledge."""

import graphene


class KnowledgeQueries(graphene.ObjectType):
    pass
