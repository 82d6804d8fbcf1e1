"""Mutations of the catalogue's services. Each calls one service action
(services/catalogue/actions/services.py)."""

from __future__ import annotations

import graphene

from api.catalogue.mutations.base import CatalogueMutation, input_data, node_pk, node_pks
from api.catalogue.types import CategoryEnum, LifecycleEnum, ServiceNode
from api.core.permissions import current_user
from services.catalogue import actions
from services.catalogue.models import Lifecycle


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
    data = input_data(input_obj)
    if "suppliers" in data:
        data["suppliers"] = node_pks(data["suppliers"], "Supplier", "suppliers")
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
            current_user(info), node_pk(id, "Service", "id"), **_service_data(input)
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
            node_pk(service, "Service", "service"),
            lifecycle=getattr(lifecycle, "value", lifecycle),
            reason=reason,
        )
        return {"service": service}
