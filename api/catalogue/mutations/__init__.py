"""Mutations of the shared catalogue, for catalogue managers (and platform admins) on the
central host: services, offerings (with prices and relations), suppliers and agreements, one
module each. Each calls one action of services/catalogue/actions/."""

from __future__ import annotations

import graphene

from api.catalogue.mutations.agreements import CreateAgreement, UpdateAgreement
from api.catalogue.mutations.base import CatalogueMutation
from api.catalogue.mutations.offerings import (
    AddOfferingPrice,
    CreateOffering,
    RemoveOfferingRelation,
    RetireOffering,
    SetOfferingRelation,
    UpdateOffering,
)
from api.catalogue.mutations.services import CreateService, RetireService, UpdateService
from api.catalogue.mutations.suppliers import CreateSupplier, UpdateSupplier

__all__ = ["CatalogueMutation", "CatalogueMutations"]


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
