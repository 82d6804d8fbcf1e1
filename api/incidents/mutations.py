"""Mutations of incidents."""

import graphene


class IncidentsMutations(graphene.ObjectType):
    pass
