"""Mutations of devices: the register (agency admins, agency host) and hand-overs (agency
admins on their host; technicians, hub staff and the service desk on the central host with an
`AgencyDevice:<agency>.<pk>` id)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, agency_row_ref, local_id
from api.devices.queries import load_device
from api.devices.types import (
    CustodianKindEnum,
    DeviceKindEnum,
    DeviceNode,
    DeviceStateEnum,
    HandoverNode,
)
from services.devices import actions, custody
from services.devices.errors import DeviceErrorCode
from services.devices.models import CustodianKind


class DeviceMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = DeviceErrorCode
    error_type_name = "DeviceError"

    device = graphene.Field(DeviceNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


class RegisterDeviceInput(graphene.InputObjectType):
    serial_number = graphene.String(required=True)
    model = graphene.String(required=True)
    holder = graphene.ID(description="A Person of the agency who has it; none: in store.")
    warranty_ends_on = graphene.Date()
    planned_replacement_on = graphene.Date()
    state = DeviceStateEnum(default_value="in_use")
    kind = DeviceKindEnum(default_value="computer", description="Decides what replaces it.")


class RegisterDevice(DeviceMutation):
    class Arguments:
        input = RegisterDeviceInput(required=True)

    @classmethod
    def perform(cls, info, input):
        agency = agency_of_host(info)
        device = actions.register_device(
            agency,
            current_user(info),
            actions.DeviceInput(
                serial_number=input.serial_number,
                model=input.model,
                holder_id=local_id(input.holder, "Person", "holder") if input.holder else None,
                warranty_ends_on=input.warranty_ends_on,
                planned_replacement_on=input.planned_replacement_on,
                state=_value(input.state),
                kind=_value(input.kind),
            ),
        )
        return {"device": load_device(agency, device.pk)}


class UpdateDeviceInput(graphene.InputObjectType):
    model = graphene.String()
    holder = graphene.ID(description="A Person; null to clear.")
    warranty_ends_on = graphene.Date()
    planned_replacement_on = graphene.Date()
    state = DeviceStateEnum()


class UpdateDevice(DeviceMutation):
    """Change the register entry (fields left out stay as they are)."""

    class Arguments:
        device = graphene.ID(required=True)
        input = UpdateDeviceInput(required=True)

    @classmethod
    def perform(cls, info, device, input):
        agency = agency_of_host(info)
        pk = local_id(device, "Device", "device")
        changes = {}
        for name in ("model", "warranty_ends_on", "planned_replacement_on"):
            if name in input:
                changes[name] = input[name]
        if "state" in input and input.state is not None:
            changes["state"] = _value(input.state)
        if "holder" in input:
            changes["holder_id"] = (
                local_id(input.holder, "Person", "holder") if input.holder else None
            )
        actions.update_device(agency, current_user(info), pk, **changes)
        return {"device": load_device(agency, pk)}


class CustodianInput(graphene.InputObjectType):
    kind = CustodianKindEnum(required=True)
    person = graphene.ID(description="kind person: a Person of the device's agency.")
    hub = graphene.ID(description="kind hub: a Hub.")
    technician = graphene.String(description="kind technician: the technician's username.")
    supplier = graphene.ID(description="kind supplier: a Supplier.")


def custodian_of(value, field: str) -> custody.Custodian:
    from tenants.models import User

    kind = _value(value.kind)
    if kind == CustodianKind.PERSON and value.person:
        return custody.Custodian(kind, local_id(value.person, "Person", f"{field}.person"))
    if kind == CustodianKind.HUB and value.hub:
        return custody.Custodian(kind, local_id(value.hub, "Hub", f"{field}.hub"))
    if kind == CustodianKind.SUPPLIER and value.supplier:
        return custody.Custodian(kind, local_id(value.supplier, "Supplier", f"{field}.supplier"))
    if kind == CustodianKind.TECHNICIAN and value.technician:
        user = User.objects.filter(username=value.technician, is_active=True).first()
        if user is None:
            raise ValidationError(
                {
                    f"{field}.technician": ValidationError(
                        _("No such technician."), code=DeviceErrorCode.NOT_FOUND
                    )
                }
            )
        return custody.Custodian(kind, user.pk)
    return custody.Custodian(kind, None)


class RecordHandover(DeviceMutation):
    """Record a hand-over of a device: `from` must be who has it now."""

    handover = graphene.Field(HandoverNode)

    class Arguments:
        device = graphene.ID(required=True, description="Device (agency host) or AgencyDevice.")
        giver = CustodianInput(required=True, name="from")
        receiver = CustodianInput(required=True, name="to")
        where_hub = graphene.ID(description="The hub where it happens (default: a receiving hub).")
        where = graphene.String(default_value="", description="Or where, in words.")
        note = graphene.String(default_value="")
        state = DeviceStateEnum(description="The device's state afterwards (default: by receiver).")

    @classmethod
    def perform(cls, info, device, giver, receiver, where="", note="", where_hub=None, state=None):
        agency, pk = agency_row_ref(info, device, "Device", "device")
        handover = custody.record_handover(
            agency,
            current_user(info),
            pk,
            giver=custodian_of(giver, "from"),
            receiver=custodian_of(receiver, "to"),
            where_hub_id=local_id(where_hub, "Hub", "where_hub") if where_hub else None,
            where_text=where,
            note=note,
            state=_value(state) if state else None,
        )
        loaded = load_device(agency, pk)
        mine = next(h for h in loaded.handovers.all() if h.pk == handover.pk)
        return {"device": loaded, "handover": mine}


class DeviceMutations(graphene.ObjectType):
    register_device = RegisterDevice.Field()
    update_device = UpdateDevice.Field()
    record_handover = RecordHandover.Field()
