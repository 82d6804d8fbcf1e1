"""Queries of licences: pools with quotas, the agency's seats (its people: api/people/)."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoConnectionField

from api.licences.types import LicencePoolNode, SeatNode
from services.licences.models import LicencePool
from services.licences.seats.models import SeatAssignment


class LicenceQueries(graphene.ObjectType):
    licence_pools = DjangoConnectionField(LicencePoolNode)
    licence_pool = relay.Node.Field(LicencePoolNode)
    seats = DjangoConnectionField(SeatNode, active=graphene.Boolean())

    def resolve_licence_pools(self, info, **kwargs):
        return LicencePool.objects.order_by("product")

    def resolve_seats(self, info, active=None, **kwargs):
        qs = SeatAssignment.objects.all()
        if active is not None:
            qs = qs.filter(released_at__isnull=active)
        return qs
