"""Queries of projects."""

import graphene


class ProjectsQueries(graphene.ObjectType):
    pass
