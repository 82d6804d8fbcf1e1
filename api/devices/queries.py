"""Queries of devices."""

import graphene
from graphene_django import DjangoConnectionField

from api.devices.types import DeviceNode, DeviceStateEnum
from services.devices.models import Device


class DeviceQueries(graphene.ObjectType):
    devices = DjangoConnectionField(DeviceNode, state=DeviceStateEnum())

    def resolve_devices(self, info, state=None, **kwargs):
        qs = Device.objects.all()
        return qs.filter(state=state) if state else qs
