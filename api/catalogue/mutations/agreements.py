"""Mutations of the catalogue's agreements (OLAs and SLAs) and their targets. Each calls one
agreement action (services/catalogue/actions/agreements.py)."""

from __future__ import annotations

import graphene

from api.catalogue.mutations.base import CatalogueMutation, input_data, node_pk
from api.catalogue.types import AgreementKindEnum, AgreementNode
from api.core.permissions import current_user
from services.catalogue import actions


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
    data = input_data(input_obj)
    if data.get("supplier") is not None:
        data["supplier"] = node_pk(data["supplier"], "Supplier", "supplier")
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
            current_user(info), node_pk(id, "Agreement", "id"), **_agreement_data(input)
        )
        return {"agreement": agreement}
