"""Mutations of licences: pools and quotas (central IT), seats (agency admins)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.money import Ore
from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, local_id
from api.licences.types import LicencePoolNode, SeatNode
from services.licences import actions
from services.licences.errors import LicenceErrorCode
from services.licences.seats import actions as seat_actions


class LicenceMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = LicenceErrorCode
    error_type_name = "LicenceError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class CreateLicencePool(LicenceMutation):
    class Arguments:
        product = graphene.String(required=True)
        supplier = graphene.ID(required=True)
        offering = graphene.ID()
        starts_on = graphene.Date(required=True)
        ends_on = graphene.Date(required=True)
        renewal_on = graphene.Date(required=True)
        total_seats = graphene.Int(required=True)
        seat_monthly_ore = Ore(default_value=0)
        true_up_allowed = graphene.Boolean(default_value=False)
        true_up_max_seats = graphene.Int(default_value=0)

    pool = graphene.Field(LicencePoolNode)

    @classmethod
    def perform(cls, info, supplier, offering=None, **data):
        pool = actions.create_pool(
            current_user(info),
            supplier_id=local_id(supplier, "Supplier", "supplier"),
            offering_id=local_id(offering, "Offering", "offering") if offering else None,
            **data,
        )
        return {"pool": pool}


class SetLicenceQuota(LicenceMutation):
    class Arguments:
        pool = graphene.ID(required=True)
        agency = graphene.ID(required=True)
        quota_seats = graphene.Int(required=True)

    pool = graphene.Field(LicencePoolNode)

    @classmethod
    def perform(cls, info, pool, agency, quota_seats):
        quota = actions.set_quota(
            current_user(info),
            local_id(pool, "LicencePool", "pool"),
            local_id(agency, "Agency", "agency"),
            quota_seats,
        )
        return {"pool": quota.pool}


class AssignSeat(LicenceMutation):
    """Give one of the seats the agency holds to a person of the agency."""

    class Arguments:
        pool = graphene.ID(required=True)
        person = graphene.ID(required=True)

    seat = graphene.Field(SeatNode)

    @classmethod
    def perform(cls, info, pool, person):
        agency = agency_of_host(info)
        seat = seat_actions.assign_seat(
            agency,
            current_user(info),
            local_id(person, "Person", "person"),
            local_id(pool, "LicencePool", "pool"),
        )
        return {"seat": seat}


class ReleaseSeat(LicenceMutation):
    class Arguments:
        seat = graphene.ID(required=True)
        reason = graphene.String(default_value="")

    seat = graphene.Field(SeatNode)

    @classmethod
    def perform(cls, info, seat, reason):
        agency = agency_of_host(info)
        released = seat_actions.release_seat(
            agency, current_user(info), local_id(seat, "Seat", "seat"), reason
        )
        return {"seat": released}


class LicenceMutations(graphene.ObjectType):
    create_licence_pool = CreateLicencePool.Field()
    set_licence_quota = SetLicenceQuota.Field()
    assign_seat = AssignSeat.Field()
    release_seat = ReleaseSeat.Field()
