"""Queries of licences: pools with quotas, the agency's seats and people."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoConnectionField

from api.licences.types import LicencePoolNode, PersonNode, SeatNode
from services.licences.models import LicencePool
from services.licences.seats.models import SeatAssignment
from services.people.models import Person


class LicenceQueries(graphene.ObjectType):
    licence_pools = DjangoConnectionField(LicencePoolNode)
    licence_pool = relay.Node.Field(LicencePoolNode)
    seats = DjangoConnectionField(SeatNode, active=graphene.Boolean())
    people = DjangoConnectionField(PersonNode, search=graphene.String())

    def resolve_licence_pools(self, info, **kwargs):
        return LicencePool.objects.order_by("product")

    def resolve_seats(self, info, active=None, **kwargs):
        qs = SeatAssignment.objects.all()
        if active is not None:
            qs = qs.filter(released_at__isnull=active)
        return qs

    def resolve_people(self, info, search=None, **kwargs):
        qs = Person.objects.order_by("name")
        return qs.filter(name__icontains=search) if search else qs
