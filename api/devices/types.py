"""GraphQL types of devices: the register, the current whereabouts and the chain of custody."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import host_agency
from api.core.refs import central_id
from api.core.types import CountedConnection, SamnavObjectType
from services.devices import policies
from services.devices.models import CustodianKind, Device, DeviceKind, DeviceState, Handover

DeviceStateEnum = graphene.Enum.from_enum(DeviceState, name="DeviceState")
CustodianKindEnum = graphene.Enum.from_enum(CustodianKind, name="CustodianKind")
DeviceKindEnum = graphene.Enum.from_enum(DeviceKind, name="DeviceKind")


class HubRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    city = graphene.String(required=True)


def hub_ref(hub) -> HubRef | None:
    if hub is None:
        return None
    return HubRef(id=relay.Node.to_global_id("Hub", hub.pk), name=hub.name, city=hub.city)


class Custodian(graphene.ObjectType):
    kind = graphene.Field(CustodianKindEnum, required=True)
    ref = graphene.ID(
        description="Person id (Person:<pk>), Hub id (Hub:<pk>), the technician's identity "
        "id, or Supplier id (Supplier:<pk>); null for the agency's store."
    )


def custodian(kind: str, ref: int | None) -> Custodian:
    if ref is None:
        return Custodian(kind=kind, ref=None)
    type_names: dict[str, str] = {
        CustodianKind.PERSON: "Person",
        CustodianKind.HUB: "Hub",
        CustodianKind.SUPPLIER: "Supplier",
    }
    type_name = type_names.get(kind)
    return Custodian(kind=kind, ref=relay.Node.to_global_id(type_name, ref) if type_name else ref)


class Whereabouts(graphene.ObjectType):
    custodian = graphene.Field(Custodian, required=True)
    person_name = graphene.String(description="When a person has it.")
    hub = graphene.Field(HubRef, description="When it is at a hub.")
    where = graphene.String(required=True, description="Free text of the last hand-over.")
    since = graphene.DateTime(required=True)


class HandoverNode(SamnavObjectType):
    giver = graphene.Field(Custodian, required=True, name="from")
    receiver = graphene.Field(Custodian, required=True, name="to")
    where_hub = graphene.Field(HubRef)
    where = graphene.String(required=True)

    class Meta:
        model = Handover
        name = "DeviceHandover"
        fields = ("id", "actor_id", "at", "note")

    policy = staticmethod(policies.handovers)

    def resolve_giver(self, info):
        return custodian(self.from_kind, self.from_ref)

    def resolve_receiver(self, info):
        return custodian(self.to_kind, self.to_ref)

    def resolve_where_hub(self, info):
        return hub_ref(self.where_hub)

    def resolve_where(self, info):
        return self.where_text


class DeviceNode(SamnavObjectType):
    state = graphene.Field(DeviceStateEnum, required=True)
    kind = graphene.Field(DeviceKindEnum, required=True)
    holder_name = graphene.String()
    whereabouts = graphene.Field(Whereabouts, required=True)
    handovers = graphene.List(
        graphene.NonNull(HandoverNode), required=True, description="Oldest first."
    )
    central_id = graphene.ID(required=True, description="The id central IT uses.")

    class Meta:
        model = Device
        name = "Device"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "serial_number",
            "model",
            "warranty_ends_on",
            "planned_replacement_on",
            "state",
        )

    policy = staticmethod(policies.devices)

    @classmethod
    def load(cls, queryset, info):
        return with_custody(queryset)

    def resolve_state(self, info):
        return self.state

    def resolve_kind(self, info):
        return self.kind

    def resolve_holder_name(self, info):
        return self.holder.name if self.holder_id else None

    def resolve_whereabouts(self, info):
        person_name = None
        if self.custodian_kind == CustodianKind.PERSON:
            if self.holder_id == self.custodian_ref and self.holder_id:
                person_name = self.holder.name
            else:
                person_name = getattr(self, "_custodian_name", None)
        return Whereabouts(
            custodian=custodian(self.custodian_kind, self.custodian_ref),
            person_name=person_name,
            hub=hub_ref(self.location_hub),
            where=self.location_text,
            since=self.custodian_since,
        )

    def resolve_handovers(self, info):
        return self.handovers.all()

    def resolve_central_id(self, info):
        agency = getattr(self, "_samnav_agency", None) or host_agency(info)
        return central_id("Device", agency.pk, self.pk)


def with_custody(queryset):
    """What a device's fields read, in a fixed number of queries."""
    return queryset.select_related("holder", "location_hub").prefetch_related(
        "handovers__where_hub"
    )
