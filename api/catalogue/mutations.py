"""Mutations of the shared catalogue, for catalogue managers (and platform admins) on the
central host. Each calls one action of services/catalogue/actions.py."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.catalogue.types import (
    AgreementKindEnum,
    AgreementNode,
    CategoryEnum,
    LifecycleEnum,
    OfferingNode,
    PriceModelEnum,
    PriceType,
    RelationKindEnum,
    ServiceNode,
    SupplierNode,
)
from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, require_central_for_mutation
from services.catalogue import actions
from services.catalogue.errors import CatalogueErrorCode
from services.catalogue.models import Lifecycle, Offering
from tenants.roles import Role


def _pk(global_id, type_name: str, field: str) -> int:
    """The primary key in a relay id of `type_name`, or a NOT_FOUND error naming `field`."""
    type_found, pk = from_global_id(global_id or "")
    if type_found != type_name or not pk.isdigit():
        raise ValidationError(
            {
                field: ValidationError(
                    _("Not a %(type)s id.") % {"type": type_name},
                    code=CatalogueErrorCode.NOT_FOUND,
                )
            }
        )
    return int(pk)


def _pks(global_ids, type_name: str, field: str) -> list[int]:
    return [_pk(g, type_name, field) for g in global_ids or []]


def _data(input_obj) -> dict:
    """Only the fields the caller sent (an explicit null included)."""
    return {key: getattr(value, "value", value) for key, value in dict(input_obj).items()}


class CatalogueMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = CatalogueErrorCode
    error_type_name = "CatalogueError"

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, Role.CATALOGUE_MANAGER, Role.PLATFORM_ADMIN)


# --- services --------------------------------------------------------------------------------


class ServiceCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    category = CategoryEnum(required=True)
    owner = graphene.String(required=True, description="The central IT function that owns it.")
    suppliers = graphene.List(graphene.NonNull(graphene.ID), description="Delivering suppliers.")
    lifecycle = LifecycleEnum(description="Planned or active (the default).")


class ServiceUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    category = CategoryEnum()
    owner = graphene.String()
    suppliers = graphene.List(graphene.NonNull(graphene.ID), description="Replaces the list.")
    lifecycle = LifecycleEnum()


def _service_data(input_obj) -> dict:
    data = _data(input_obj)
    if "suppliers" in data:
        data["suppliers"] = _pks(data["suppliers"], "Supplier", "suppliers")
    return data


class CreateService(CatalogueMutation):
    """A new service of the catalogue."""

    class Arguments:
        input = ServiceCreateInput(required=True)

    service = graphene.Field(ServiceNode)

    @classmethod
    def perform(cls, info, input):
        return {"service": actions.create_service(current_user(info), **_service_data(input))}


class UpdateService(CatalogueMutation):
    """Change the fields sent; the others keep their values. Retiring cascades to offerings."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ServiceUpdateInput(required=True)

    service = graphene.Field(ServiceNode)

    @classmethod
    def perform(cls, info, id, input):
        service = actions.update_service(
            current_user(info), _pk(id, "Service", "id"), **_service_data(input)
        )
        return {"service": service}


class RetireService(CatalogueMutation):
    """Retiring: no new orders. Retired: its offerings retire too."""

    class Arguments:
        service = graphene.ID(required=True)
        lifecycle = LifecycleEnum(default_value=Lifecycle.RETIRED.value)
        reason = graphene.String(default_value="")

    service = graphene.Field(ServiceNode)

    @classmethod
    def perform(cls, info, service, lifecycle, reason):
        service = actions.retire_service(
            current_user(info),
            _pk(service, "Service", "service"),
            lifecycle=getattr(lifecycle, "value", lifecycle),
            reason=reason,
        )
        return {"service": service}


# --- offerings -------------------------------------------------------------------------------


class PriceInput(graphene.InputObjectType):
    valid_from = graphene.Date(required=True)
    monthly_ore = graphene.Int(required=True, description="Monthly price in öre (SEK/100).")
    one_off_ore = graphene.Int(default_value=0, description="One-off price in öre (SEK/100).")


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
    data = _data(input_obj)
    if "service" in data:
        data["service"] = _pk(data["service"], "Service", "service")
    if "agreement" in data:
        data["agreement"] = _pk(data["agreement"], "Agreement", "agreement")
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
            current_user(info), _pk(id, "Offering", "id"), **_offering_data(input)
        )
        return {"offering": offering}


class AddOfferingPrice(CatalogueMutation):
    """A new price version from `validFrom` (today or later once the offering has a price).
    Orders and subscriptions keep the price valid when they were made."""

    class Arguments:
        offering = graphene.ID(required=True)
        valid_from = graphene.Date(required=True)
        monthly_ore = graphene.Int(required=True)
        one_off_ore = graphene.Int(default_value=0)

    offering = graphene.Field(OfferingNode)
    price = graphene.Field(PriceType)

    @classmethod
    def perform(cls, info, offering, valid_from, monthly_ore, one_off_ore):
        price = actions.add_price(
            current_user(info),
            _pk(offering, "Offering", "offering"),
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
        errors: dict = {}
        pks = {}
        for field, value in (("offering", offering), ("other", other)):
            try:
                pks[field] = _pk(value, "Offering", field)
            except ValidationError as exc:
                errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)
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
        offering_pk = _pk(offering, "Offering", "offering")
        actions.remove_relation(
            current_user(info),
            offering_pk,
            _pk(other, "Offering", "other"),
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
            _pk(offering, "Offering", "offering"),
            lifecycle=getattr(lifecycle, "value", lifecycle),
            reason=reason,
        )
        return {"offering": offering}


# --- suppliers -------------------------------------------------------------------------------


class SupplierCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    is_internal = graphene.Boolean(description="Central IT itself (false by default).")
    org_number = graphene.String()
    contract_reference = graphene.String()
    contract_ends_on = graphene.Date()


class SupplierUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    is_internal = graphene.Boolean()
    org_number = graphene.String()
    contract_reference = graphene.String()
    contract_ends_on = graphene.Date()


class CreateSupplier(CatalogueMutation):
    class Arguments:
        input = SupplierCreateInput(required=True)

    supplier = graphene.Field(SupplierNode)

    @classmethod
    def perform(cls, info, input):
        return {"supplier": actions.create_supplier(current_user(info), **_data(input))}


class UpdateSupplier(CatalogueMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = SupplierUpdateInput(required=True)

    supplier = graphene.Field(SupplierNode)

    @classmethod
    def perform(cls, info, id, input):
        supplier = actions.update_supplier(
            current_user(info), _pk(id, "Supplier", "id"), **_data(input)
        )
        return {"supplier": supplier}


# --- agreements ------------------------------------------------------------------------------


class AgreementTargetInput(graphene.InputObjectType):
    priority = graphene.Int(required=True, description="1 = critical … 4 = low.")
    response_minutes = graphene.Int(required=True)
    resolution_minutes = graphene.Int(required=True)


class AgreementCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    kind = AgreementKindEnum(required=True)
    supplier = graphene.ID(description="Required for an SLA; none for an OLA.")
    availability_percent = graphene.Decimal(required=True, description='E.g. "99.5".')
    support_hours = graphene.String(required=True, description="E.g. weekdays 07-18.")
    targets = graphene.List(
        graphene.NonNull(AgreementTargetInput),
        required=True,
        description="One per priority 1 to 4.",
    )


class AgreementUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    kind = AgreementKindEnum()
    supplier = graphene.ID()
    availability_percent = graphene.Decimal()
    support_hours = graphene.String()
    targets = graphene.List(
        graphene.NonNull(AgreementTargetInput), description="Replaces all targets."
    )


def _agreement_data(input_obj) -> dict:
    data = _data(input_obj)
    if data.get("supplier") is not None:
        data["supplier"] = _pk(data["supplier"], "Supplier", "supplier")
    if data.get("targets") is not None:
        data["targets"] = [dict(t) for t in data["targets"]]
    return data


class CreateAgreement(CatalogueMutation):
    """An OLA (central IT delivers) or SLA (an external supplier), with targets per priority."""

    class Arguments:
        input = AgreementCreateInput(required=True)

    agreement = graphene.Field(AgreementNode)

    @classmethod
    def perform(cls, info, input):
        agreement = actions.create_agreement(current_user(info), **_agreement_data(input))
        return {"agreement": agreement}


class UpdateAgreement(CatalogueMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = AgreementUpdateInput(required=True)

    agreement = graphene.Field(AgreementNode)

    @classmethod
    def perform(cls, info, id, input):
        agreement = actions.update_agreement(
            current_user(info), _pk(id, "Agreement", "id"), **_agreement_data(input)
        )
        return {"agreement": agreement}


class CatalogueMutations(graphene.ObjectType):
    create_service = CreateService.Field()
    update_service = UpdateService.Field()
    retire_service = RetireService.Field()
    create_offering = CreateOffering.Field()
    update_offering = UpdateOffering.Field()
    add_offering_price = AddOfferingPrice.Field()
    set_offering_relation = SetOfferingRelation.Field()
    remove_offering_relation = RemoveOfferingRelation.Field()
    retire_offering = RetireOffering.Field()
    create_supplier = CreateSupplier.Field()
    update_supplier = UpdateSupplier.Field()
    create_agreement = CreateAgreement.Field()
    update_agreement = UpdateAgreement.Field()
