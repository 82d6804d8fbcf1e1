"""The chain of custody: every hand-over of a device is recorded with who, when and where,
and the device's custodian and location change in the same transaction.

A hand-over must start from the device's current custodian, so the chain has no gaps: a
device's whereabouts are always its last hand-over's receiver (or, before any, its holder or
the agency's store)."""

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
from services.devices.models import CustodianKind, Device, DeviceState, Handover
from tenants.viewer import Viewer

# The device's state after a hand-over, unless the caller says otherwise.
STATE_AFTER = {
    CustodianKind.PERSON: DeviceState.IN_USE,
    CustodianKind.TECHNICIAN: DeviceState.IN_REPAIR,
    CustodianKind.SUPPLIER: DeviceState.IN_REPAIR,
}


@dataclass(frozen=True)
class Custodian:
    kind: str
    ref: int | None = None


def _check_custodian(field: str, who: Custodian) -> list[ValidationError]:
    """The custodian exists: a person of this agency (current schema), a hub, a technician's
    identity, a supplier; the agency's store has no reference."""
    from services.catalogue.models import Supplier
    from services.hubs.models import Hub
    from services.people.models import Person
    from tenants.models import User

    if who.kind not in CustodianKind.values:
        return [ValidationError(_("Unknown kind of custodian."), code=Code.INVALID)]
    if who.kind == CustodianKind.AGENCY:
        return []
    if who.ref is None:
        return [ValidationError(_("Say who it is."), code=Code.REQUIRED)]
    if who.kind == CustodianKind.PERSON:
        found = Person.objects.filter(pk=who.ref).exists()
    elif who.kind == CustodianKind.HUB:
        found = Hub.objects.filter(pk=who.ref).exists()
    elif who.kind == CustodianKind.SUPPLIER:
        found = Supplier.objects.filter(pk=who.ref).exists()
    else:
        user = User.objects.filter(pk=who.ref, is_active=True).first()
        found = user is not None and policies.holds_as_technician(Viewer.of(user))
    if not found:
        return [ValidationError(_("Unknown %(kind)s.") % {"kind": who.kind}, code=Code.NOT_FOUND)]
    return []


def record_handover(
    agency,
    actor,
    device_id: int,
    *,
    giver: Custodian,
    receiver: Custodian,
    where_hub_id: int | None = None,
    where_text: str = "",
    note: str = "",
    at: dt.datetime | None = None,
    state: str | None = None,
) -> Handover:
    """Record that `giver` handed the device to `receiver`. The giver must be the device's
    current custodian; the hub it happens at (or a free-text place) is where it is now."""
    from services.hubs.models import Hub

    if not policies.records_handovers(Viewer.of(actor, agency)):
        raise PermissionDenied(_("You may not record hand-overs of this agency's devices."))
    where_text = (where_text or "").strip()
    errors: dict = {}
    if len(where_text) > 200:
        errors["where"] = [ValidationError(_("At most 200 characters."), code=Code.INVALID)]
    if state is not None and state not in DeviceState.values:
        errors["state"] = [ValidationError(_("Unknown state."), code=Code.INVALID)]
    if where_hub_id is None and receiver.kind == CustodianKind.HUB:
        where_hub_id = receiver.ref
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        errors["at"] = [
            ValidationError(_("A hand-over cannot be in the future."), code=Code.INVALID)
        ]
    with tenant_context(agency), transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None:
            raise ValidationError(
                {"device": ValidationError(_("No such device in the agency."), code=Code.NOT_FOUND)}
            )
        for field, who in (("from", giver), ("to", receiver)):
            found = _check_custodian(field, who)
            if found:
                errors[field] = found
        if "from" not in errors and (giver.kind, giver.ref) != (
            device.custodian_kind,
            device.custodian_ref,
        ):
            errors["from"] = [
                ValidationError(
                    _("The device is not with them: it is with %(kind)s %(ref)s.")
                    % {"kind": device.custodian_kind, "ref": device.custodian_ref or ""},
                    code=Code.CUSTODIAN_MISMATCH,
                )
            ]
        if (giver.kind, giver.ref) == (receiver.kind, receiver.ref):
            errors["to"] = [ValidationError(_("Hand it to someone else."), code=Code.INVALID)]
        if device.state == DeviceState.RETIRED:
            errors["device"] = [
                ValidationError(_("The device is retired."), code=Code.INVALID_STATE)
            ]
        if where_hub_id is not None and not Hub.objects.filter(pk=where_hub_id).exists():
            errors["where_hub"] = [ValidationError(_("No such hub."), code=Code.NOT_FOUND)]
        if at < device.custodian_since:
            errors["at"] = [
                ValidationError(
                    _("The device came to its custodian later than that."), code=Code.INVALID
                )
            ]
        if errors:
            raise ValidationError(errors)
        handover = Handover.objects.create(
            device=device,
            from_kind=giver.kind,
            from_ref=giver.ref,
            to_kind=receiver.kind,
            to_ref=receiver.ref,
            actor_id=actor.pk,
            at=at,
            where_hub_id=where_hub_id,
            where_text=where_text,
            note=(note or "").strip(),
        )
        device.custodian_kind, device.custodian_ref = receiver.kind, receiver.ref
        device.custodian_since = at
        device.location_hub_id, device.location_text = where_hub_id, where_text
        if receiver.kind == CustodianKind.PERSON:
            device.holder_id = receiver.ref
        device.state = state or STATE_AFTER.get(receiver.kind, device.state)
        device.save(
            update_fields=[
                "custodian_kind",
                "custodian_ref",
                "custodian_since",
                "location_hub",
                "location_text",
                "holder",
                "state",
            ]
        )
    return handover
