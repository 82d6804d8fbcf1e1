"""GraphQL types of licences and seats."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext
from graphene import relay

from api.core.permissions import host_agency
from api.core.types import CountedConnection, SamnavObjectType
from api.licences.usage import (
    AgencyCompliance,
    PoolCompliance,
    agency_compliance_of,
    pool_compliance_of,
)
from api.ordering.types import OfferingRef
from api.people.types import PersonNode
from api.tenants.types import AgencyNode
from services.licences import policies
from services.licences.models import LicencePool
from services.licences.seats.models import SeatAssignment


class AgencyQuotaType(graphene.ObjectType):
    agency = graphene.Field(AgencyNode, required=True)
    quota_seats = graphene.Int(required=True)
    held_seats = graphene.Int(required=True)
    assigned_seats = graphene.Int(required=True)
    over_quota = graphene.Int(required=True, description="Seats held beyond the quota.")


class LicencePoolNode(SamnavObjectType):
    supplier_name = graphene.String(required=True)
    offering = graphene.Field(OfferingRef)
    capacity = graphene.Int(required=True, description="Seats owned plus allowed true-up.")
    quotas = graphene.List(
        graphene.NonNull(AgencyQuotaType),
        required=True,
        description="Every agency's share (central IT), or your own.",
    )
    compliance = graphene.Field(
        PoolCompliance, description="The pool's position (central IT only)."
    )
    my_compliance = graphene.Field(
        AgencyCompliance, description="Your agency's position (on its host)."
    )

    class Meta:
        model = LicencePool
        name = "LicencePool"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "product",
            "starts_on",
            "ends_on",
            "renewal_on",
            "total_seats",
            "seat_monthly_ore",
            "true_up_allowed",
            "true_up_max_seats",
        )

    policy = staticmethod(policies.pools)  # with the quotas and position the viewer may see

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("supplier", "offering__service")

    def resolve_supplier_name(self, info):
        return self.supplier.name

    def resolve_offering(self, info):
        return OfferingRef.of(self.offering) if self.offering_id else None

    def resolve_capacity(self, info):
        return self.capacity

    def resolve_compliance(self, info):
        return pool_compliance_of(self) if host_agency(info) is None else None

    def resolve_my_compliance(self, info):
        agency = host_agency(info)
        return agency_compliance_of(self, agency) if agency is not None else None

    def resolve_quotas(self, info):
        return [
            AgencyQuotaType(
                agency=q.agency,
                quota_seats=q.quota_seats,
                held_seats=q.held_seats,
                assigned_seats=q.assigned_seats,
                over_quota=q.over_quota,
            )
            for q in self.quotas.all()
        ]


class PoolRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    product = graphene.String(required=True)


class SeatNode(SamnavObjectType):
    pool = graphene.Field(PoolRef, required=True)
    person = graphene.Field(PersonNode, required=True)

    class Meta:
        model = SeatAssignment
        name = "Seat"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "starts_on", "released_at", "release_reason", "last_used_on")

    policy = staticmethod(policies.seats)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("person", "pool")

    def resolve_pool(self, info):
        return PoolRef(
            id=relay.Node.to_global_id("LicencePool", self.pool_id), product=self.pool.product
        )

    def resolve_person(self, info):
        return self.person

    def resolve_release_reason(self, info):
        # Standard reasons are stored as English source strings; typed ones pass unchanged.
        return gettext(self.release_reason) if self.release_reason else ""
