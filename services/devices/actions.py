"""Write paths of the device register: agency admins register and update their devices.
Hand-overs (the chain of custody) are in `services.devices.custody`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices import policies
from services.devices.errors import DeviceErrorCode as Code
from services.devices.models import CustodianKind, Device, DeviceKind, DeviceState
from services.people.models import Person
from services.validation import Errors, a_date, field_error, text
from tenants.models import Agency, User
from tenants.viewer import Viewer

UNSET: Any = object()


@dataclass
class DeviceInput:
    serial_number: str
    model: str
    holder_id: int | None = None
    warranty_ends_on: dt.date | None = None
    planned_replacement_on: dt.date | None = None
    state: str = DeviceState.IN_USE
    kind: str = DeviceKind.COMPUTER


def _admin(agency: Agency, actor: User) -> None:
    if not policies.keeps_agency_register(Viewer.of(actor, agency)):
        raise PermissionDenied(_("Only the agency's admins keep its device register."))


def _text(errors: Errors, field: str, value: object, max_length: int) -> str:
    return text(
        errors,
        field,
        value,
        codes=Code,
        max_length=max_length,
        required_message=_("This is required."),
    )


def _state(errors: Errors, state: object) -> None:
    if state not in DeviceState.values:
        errors.add("state", _("Unknown state."), Code.INVALID)


def register_device(agency: Agency, actor: User, data: DeviceInput) -> Device:
    """A new device of the agency: with its holder if one is given, else in the agency's
    store."""
    _admin(agency, actor)
    errors = Errors()
    serial = _text(errors, "serial_number", data.serial_number, 60)
    model = _text(errors, "model", data.model, 120)
    _state(errors, data.state)
    if data.kind not in DeviceKind.values:
        errors.add("kind", _("Unknown kind of device."), Code.INVALID)
    for field in ("warranty_ends_on", "planned_replacement_on"):
        a_date(errors, field, getattr(data, field), codes=Code, required=False)
    with tenant_context(agency), transaction.atomic():
        holder = _holder(errors, data.holder_id)
        if (
            "serial_number" not in errors
            and Device.objects.filter(serial_number__iexact=serial).exists()
        ):
            errors.add(
                "serial_number", _("A device with this serial number exists."), Code.DUPLICATE
            )
        errors.raise_if_any()
        return Device.objects.create(
            serial_number=serial,
            model=model,
            holder=holder,
            warranty_ends_on=data.warranty_ends_on,
            planned_replacement_on=data.planned_replacement_on,
            state=data.state,
            kind=data.kind,
            custodian_kind=CustodianKind.PERSON if holder else CustodianKind.AGENCY,
            custodian_ref=holder.pk if holder else None,
            custodian_since=timezone.now(),
        )


def update_device(
    agency: Agency,
    actor: User,
    device_id: int,
    *,
    model: Any = UNSET,
    holder_id: Any = UNSET,
    warranty_ends_on: Any = UNSET,
    planned_replacement_on: Any = UNSET,
    state: Any = UNSET,
) -> Device:
    """Change a device's register entry (only the fields given). The holder is who the device
    is assigned to; where it physically is changes only by a hand-over."""
    _admin(agency, actor)
    errors = Errors()
    with tenant_context(agency), transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None:
            raise field_error("device", _("No such device."), Code.NOT_FOUND)
        if model is not UNSET:
            device.model = _text(errors, "model", model, 120)
        if holder_id is not UNSET:
            device.holder = _holder(errors, holder_id)
        if warranty_ends_on is not UNSET:
            device.warranty_ends_on = a_date(
                errors, "warranty_ends_on", warranty_ends_on, codes=Code, required=False
            )
        if planned_replacement_on is not UNSET:
            device.planned_replacement_on = a_date(
                errors, "planned_replacement_on", planned_replacement_on, codes=Code, required=False
            )
        if state is not UNSET:
            _state(errors, state)
            if "state" not in errors:
                device.state = state
        errors.raise_if_any()
        device.save()
    return device


def _holder(errors: Errors, holder_id: int | None) -> Person | None:
    if holder_id is None:
        return None
    person = Person.objects.filter(pk=holder_id).first()
    if person is None:
        errors.add("holder", _("No such person in the agency."), Code.NOT_FOUND)
    return person
