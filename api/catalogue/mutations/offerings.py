"""Mutations of the catalogue's offerings, their price versions and their relations. Each
calls one action (services/catalogue/actions/offerings.py, prices.py, relations.py)."""

from __future__ import annotations

import graphene

from api.catalogue.mutations.base import (
    CatalogueMutation,
    input_data,
    node_pk,
    node_pks_by_field,
)
from api.catalogue.types import (
    LifecycleEnum,
    OfferingNode,
    PriceModelEnum,
    PriceType,
    RelationKindEnum,
)
from api.core.money import Ore
from api.core.permissions import current_user
from services.catalogue import actions
from services.catalogue.models import Lifecycle, Offering


class PriceInput(graphene.InputObjectType):
    valid_from = graphene.Date(required=True)
    monthly_ore = Ore(required=True, description="Monthly price in öre (SEK/100).")
    one_off_ore = Ore(default_value=0, description="One-off price in öre (SEK/100).")


class OfferingCreateInput(graphene.InputObjectType):
    service = graphene.ID(required=True)
    code = graphene.String(required=True, description="Unique, lower-case, e.g. e-post-bas.")
    name = graphene.String(required=True)
    security_level = graphene.Int(required=True, description="The level met, 1 to 4.")
    availability_level = graphene.Int(required=True, description="The level met, 1 to 4.")
    price_model = PriceModelEnum(required=True)
    unit = graphene.String(description="Needed for a price per unit: user, device, GB…")
    min_quantity = graphene.Int()
    max_quantity = graphene.Int()
    notice_days = graphene.Int()
    lead_time_days = graphene.Int()
    agreement = graphene.ID(required=True)
    lifecycle = LifecycleEnum(description="Planned or active (the default).")
    price = PriceInput(description="The first price version.")


class OfferingUpdateInput(graphene.InputObjectType):
    service = graphene.ID()
    code = graphene.String()
    name = graphene.String()
    security_level = graphene.Int()
    availability_level = graphene.Int()
    price_model = PriceModelEnum()
    unit = graphene.String()
    min_quantity = graphene.Int()
    max_quantity = graphene.Int()
    notice_days = graphene.Int()
    lead_time_days = graphene.Int()
    agreement = graphene.ID()
    lifecycle = LifecycleEnum()


def _offering_data(input_obj) -> dict:
    data = input_data(input_obj)
    if "service" in data:
        data["service"] = node_pk(data["service"], "Service", "service")
    if "agreement" in data:
        data["agreement"] = node_pk(data["agreement"], "Agreement", "agreement")
    if data.get("price") is not None:
        data["price"] = dict(data["price"])
    else:
        data.pop("price", None)
    return data


class CreateOffering(CatalogueMutation):
    """A new offering of a service, optionally with its first price."""

    class Arguments:
        input = OfferingCreateInput(required=True)

    offering = graphene.Field(OfferingNode)

    @classmethod
    def perform(cls, info, input):
        return {"offering": actions.create_offering(current_user(info), **_offering_data(input))}


class UpdateOffering(CatalogueMutation):
    """Change the fields sent; the others keep their values. Prices have their own mutation."""

    class Arguments:
        id = graphene.ID(required=True)
        input = OfferingUpdateInput(required=True)

    offering = graphene.Field(OfferingNode)

    @classmethod
    def perform(cls, info, id, input):
        offering = actions.update_offering(
            current_user(info), node_pk(id, "Offering", "id"), **_offering_data(input)
        )
        return {"offering": offering}


class AddOfferingPrice(CatalogueMutation):
    """A new price version from `validFrom` (today or later once the offering has a price).
    Orders and subscriptions keep the price valid when they were made."""

    class Arguments:
        offering = graphene.ID(required=True)
        valid_from = graphene.Date(required=True)
        monthly_ore = Ore(required=True)
        one_off_ore = Ore(default_value=0)

    offering = graphene.Field(OfferingNode)
    price = graphene.Field(PriceType)

    @classmethod
    def perform(cls, info, offering, valid_from, monthly_ore, one_off_ore):
        price = actions.add_price(
            current_user(info),
            node_pk(offering, "Offering", "offering"),
            valid_from=valid_from,
            monthly_ore=monthly_ore,
            one_off_ore=one_off_ore,
        )
        return {"offering": price.offering, "price": price}


class SetOfferingRelation(CatalogueMutation):
    """`offering` requires (or excludes) `other`. Exclusions hold both ways."""

    class Arguments:
        offering = graphene.ID(required=True)
        other = graphene.ID(required=True)
        kind = RelationKindEnum(required=True)

    offering = graphene.Field(OfferingNode)

    @classmethod
    def perform(cls, info, offering, other, kind):
        pks = node_pks_by_field({"offering": offering, "other": other}, "Offering")
        relation = actions.set_relation(
            current_user(info), pks["offering"], pks["other"], getattr(kind, "value", kind)
        )
        return {"offering": relation.offering}


class RemoveOfferingRelation(CatalogueMutation):
    class Arguments:
        offering = graphene.ID(required=True)
        other = graphene.ID(required=True)
        kind = RelationKindEnum(required=True)

    offering = graphene.Field(OfferingNode)

    @classmethod
    def perform(cls, info, offering, other, kind):
        offering_pk = node_pk(offering, "Offering", "offering")
        actions.remove_relation(
            current_user(info),
            offering_pk,
            node_pk(other, "Offering", "other"),
            getattr(kind, "value", kind),
        )
        return {"offering": Offering.objects.get(pk=offering_pk)}


class RetireOffering(CatalogueMutation):
    """Retiring: no new orders, subscriptions go on. Retired: gone from ordering."""

    class Arguments:
        offering = graphene.ID(required=True)
        lifecycle = LifecycleEnum(default_value=Lifecycle.RETIRED.value)
        reason = graphene.String(default_value="")

    offering = graphene.Field(OfferingNode)

    @classmethod
    def perform(cls, info, offering, lifecycle, reason):
        offering = actions.retire_offering(
            current_user(info),
            node_pk(offering, "Offering", "offering"),
            lifecycle=getattr(lifecycle, "value", lifecycle),
            reason=reason,
        )
        return {"offering": offering}
