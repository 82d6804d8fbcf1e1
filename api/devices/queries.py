"""Queries of devices: the agency's register (agency host) and one device of any agency for
central IT (technicians, hub staff, service desk; central host)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django_tenants.utils import tenant_context
from graphene_django import DjangoConnectionField

from api.core.permissions import require_user, viewer
from api.core.refs import agency_row_ref
from api.devices.types import CustodianKindEnum, DeviceNode, DeviceStateEnum, with_custody
from services.devices import policies
from services.devices.models import Device


def load_device(agency, pk: int):
    """A device with everything its fields read, loaded inside the agency's schema."""
    with tenant_context(agency):
        device = with_custody(Device.objects.filter(pk=pk)).first()
        if device is not None:
            list(device.handovers.all())  # evaluated here, inside the schema
    if device is not None:
        device._samnav_agency = agency
    return device


class DeviceQueries(graphene.ObjectType):
    devices = DjangoConnectionField(
        DeviceNode,
        state=DeviceStateEnum(),
        custodian=CustodianKindEnum(description="Who has them now."),
        search=graphene.String(description="Part of the serial number or model."),
    )
    agency_device = graphene.Field(
        DeviceNode,
        id=graphene.ID(required=True),
        description="One device of any agency (central IT, central host): AgencyDevice id.",
    )

    def resolve_devices(self, info, state=None, custodian=None, search=None, **kwargs):
        qs = Device.objects.all()
        if state:
            qs = qs.filter(state=getattr(state, "value", state))
        if custodian:
            qs = qs.filter(custodian_kind=getattr(custodian, "value", custodian))
        if search:
            qs = qs.filter(Q(serial_number__icontains=search) | Q(model__icontains=search))
        return qs

    def resolve_agency_device(self, info, id):
        require_user(info)
        try:
            if not policies.reaches_any_agency(viewer(info)):
                raise PermissionDenied
            agency, pk = agency_row_ref(info, id, "Device", "device")
        except (PermissionDenied, ValidationError):
            return None
        return load_device(agency, pk)
