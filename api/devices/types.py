"""GraphQL types of devices."""

from __future__ import annotations

import graphene
from graphene import relay

from api.core.permissions import current_user, host_agency
from api.core.types import CountedConnection, SamnavObjectType
from services.devices.models import Device, DeviceState
from tenants import access
from tenants.roles import Role

DeviceStateEnum = graphene.Enum.from_enum(DeviceState, name="DeviceState")


class DeviceNode(SamnavObjectType):
    state = graphene.Field(DeviceStateEnum, required=True)
    holder_name = graphene.String()

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

    @classmethod
    def visible(cls, queryset, info):
        """On the agency's host: its admins see every device, its staff the ones they hold."""
        user, agency = current_user(info), host_agency(info)
        if user is None or agency is None:
            return queryset.none()
        qs = queryset.select_related("holder")
        if access.has_agency_role(user, agency, Role.AGENCY_ADMIN):
            return qs
        if access.has_agency_role(user, agency, Role.AGENCY_STAFF):
            return qs.filter(holder__user_id=user.pk)
        return queryset.none()

    def resolve_state(self, info):
        return self.state

    def resolve_holder_name(self, info):
        return self.holder.name if self.holder_id else None
