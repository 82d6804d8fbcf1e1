"""Mutations of the catalogue's suppliers. Each calls one supplier action
(services/catalogue/actions/suppliers.py); their contracts are in api/catalogue/suppliers.py."""

from __future__ import annotations

import graphene

from api.catalogue.mutations.base import CatalogueMutation, input_data, node_pk
from api.catalogue.types import SupplierNode
from api.core.permissions import current_user
from services.catalogue import actions


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
        return {"supplier": actions.create_supplier(current_user(info), **input_data(input))}


class UpdateSupplier(CatalogueMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = SupplierUpdateInput(required=True)

    supplier = graphene.Field(SupplierNode)

    @classmethod
    def perform(cls, info, id, input):
        supplier = actions.update_supplier(
            current_user(info), node_pk(id, "Supplier", "id"), **input_data(input)
        )
        return {"supplier": supplier}
