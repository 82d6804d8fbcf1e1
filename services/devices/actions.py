"""Write paths of the device register: agency admins register and update their devices.
Hand-overs (the chain of custody) are in `services.devices.custody`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices import policies
from services.devices.errors import DeviceErrorCode as Code
from services.devices.models import CustodianKind, Device, DeviceState
from services.people.models import Person
from tenants.viewer import Viewer

UNSET = object()


@dataclass
class DeviceInput:
    serial_number: str
    model: str
    holder_id: int | None = None
    warranty_ends_on: dt.date | None = None
    planned_replacement_on: dt.date | None = None
    state: str = DeviceState.IN_USE


def _admin(agency, actor) -> None:
    if not policies.keeps_agency_register(Viewer.of(actor, agency)):
        raise PermissionDenied(_("Only the agency's admins keep its device register."))


def _text(errors: dict, name: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = [ValidationError(_("This is required."), code=Code.REQUIRED)]
    elif len(value) > limit:
        errors[name] = [
            ValidationError(
                _("At most %(limit)s characters.") % {"limit": limit}, code=Code.INVALID
            )
        ]
    return value


def register_device(agency, actor, data: DeviceInput) -> Device:
    """A new device of the agency: with its holder if one is given, else in the agency's
    store."""
    _admin(agency, actor)
    errors: dict = {}
    serial = _text(errors, "serial_number", data.serial_number, 60)
    model = _text(errors, "model", data.model, 120)
    if data.state not in DeviceState.values:
        errors["state"] = [ValidationError(_("Unknown state."), code=Code.INVALID)]
    with tenant_context(agency), transaction.atomic():
        holder = _holder(errors, data.holder_id)
        if serial and Device.objects.filter(serial_number__iexact=serial).exists():
            errors["serial_number"] = [
                ValidationError(_("A device with this serial number exists."), code=Code.DUPLICATE)
            ]
        if errors:
            raise ValidationError(errors)
        return Device.objects.create(
            serial_number=serial,
            model=model,
            holder=holder,
            warranty_ends_on=data.warranty_ends_on,
            planned_replacement_on=data.planned_replacement_on,
            state=data.state,
            custodian_kind=CustodianKind.PERSON if holder else CustodianKind.AGENCY,
            custodian_ref=holder.pk if holder else None,
            custodian_since=timezone.now(),
        )


def update_device(
    agency,
    actor,
    device_id: int,
    *,
    model=UNSET,
    holder_id=UNSET,
    warranty_ends_on=UNSET,
    planned_replacement_on=UNSET,
    state=UNSET,
) -> Device:
    """Change a device's register entry. The holder is who the device is assigned to; where
    it physically is changes only by a hand-over."""
    _admin(agency, actor)
    errors: dict = {}
    with tenant_context(agency), transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None:
            raise ValidationError(
                {"device": ValidationError(_("No such device."), code=Code.NOT_FOUND)}
            )
        if model is not UNSET:
            device.model = _text(errors, "model", model, 120)
        if holder_id is not UNSET:
            device.holder = _holder(errors, holder_id)
        if warranty_ends_on is not UNSET:
            device.warranty_ends_on = warranty_ends_on
        if planned_replacement_on is not UNSET:
            device.planned_replacement_on = planned_replacement_on
        if state is not UNSET:
            if state not in DeviceState.values:
                errors["state"] = [ValidationError(_("Unknown state."), code=Code.INVALID)]
            else:
                device.state = state
        if errors:
            raise ValidationError(errors)
        device.save()
    return device


def _holder(errors: dict, holder_id: int | None) -> Person | None:
    if holder_id is None:
        return None
    person = Person.objects.filter(pk=holder_id).first()
    if person is None:
        errors["holder"] = [
            ValidationError(_("No such person in the agency."), code=Code.NOT_FOUND)
        ]
    return person
