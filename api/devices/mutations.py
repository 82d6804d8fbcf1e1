"""Mutations of devices."""

import graphene


class DeviceMutations(graphene.ObjectType):
    pass
