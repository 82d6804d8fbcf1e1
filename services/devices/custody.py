"""The chain of custody: every hand-over of a device is recorded with who, when and where,
and the device's custodian and location change in the same transaction.

A hand-over must start from the device's current custodian, so the chain has no gaps: a
device's whereabouts are always its last hand-over's receiver (or, before any, its holder or
the agency's store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices import policies
from services.devices.errors import DeviceErrorCode as Code
from services.devices.models import CustodianKind, Device, DeviceState, Handover
from services.validation import Errors, clean_text, field_error, text
from tenants.models import Agency, User
from tenants.viewer import Viewer

# The device's state after a hand-over, unless the caller says otherwise.
STATE_AFTER: dict[str, str] = {
    CustodianKind.PERSON: DeviceState.IN_USE,
    CustodianKind.TECHNICIAN: DeviceState.IN_REPAIR,
    CustodianKind.SUPPLIER: DeviceState.IN_REPAIR,
}


@dataclass(frozen=True)
class Custodian:
    kind: str
    ref: int | None = None


def _check_custodian(errors: Errors, field: str, who: Custodian) -> None:
    """The custodian exists: a person of this agency (current schema), a hub, a technician's
    identity, a supplier; the agency's store has no reference."""
    from services.catalogue.models import Supplier
    from services.hubs.models import Hub
    from services.people.models import Person

    if who.kind not in CustodianKind.values:
        errors.add(field, _("Unknown kind of custodian."), Code.INVALID)
        return
    if who.kind == CustodianKind.AGENCY:
        return
    if who.ref is None:
        errors.add(field, _("Say who it is."), Code.REQUIRED)
        return
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
        errors.add(field, _("Unknown %(kind)s.") % {"kind": who.kind}, Code.NOT_FOUND)


def record_handover(
    agency: Agency,
    actor: User,
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
    errors = Errors()
    where_text = text(errors, "where", where_text, codes=Code, max_length=200, required=False)
    if state is not None and state not in DeviceState.values:
        errors.add("state", _("Unknown state."), Code.INVALID)
    if where_hub_id is None and receiver.kind == CustodianKind.HUB:
        where_hub_id = receiver.ref
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        errors.add("at", _("A hand-over cannot be in the future."), Code.INVALID)
    with tenant_context(agency), transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is None:
            raise field_error("device", _("No such device in the agency."), Code.NOT_FOUND)
        _check_custodian(errors, "from", giver)
        if (giver.kind, giver.ref) == (receiver.kind, receiver.ref):
            errors.add("to", _("Hand it to someone else."), Code.INVALID)
        else:
            _check_custodian(errors, "to", receiver)
        if "from" not in errors and (giver.kind, giver.ref) != (
            device.custodian_kind,
            device.custodian_ref,
        ):
            errors.add(
                "from",
                _("The device is not with them: it is with %(kind)s %(ref)s.")
                % {"kind": device.custodian_kind, "ref": device.custodian_ref or ""},
                Code.CUSTODIAN_MISMATCH,
            )
        if device.state == DeviceState.RETIRED:
            errors.add("device", _("The device is retired."), Code.INVALID_STATE)
        if where_hub_id is not None and not Hub.objects.filter(pk=where_hub_id).exists():
            errors.add("where_hub", _("No such hub."), Code.NOT_FOUND)
        if at < device.custodian_since:
            errors.add("at", _("The device came to its custodian later than that."), Code.INVALID)
        errors.raise_if_any()
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
            note=clean_text("note", note),
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
