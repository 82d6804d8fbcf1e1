"""Finding the devices due for replacement and proposing it to the agency's admins.

A device in use or in stock whose warranty ends or planned replacement falls within
SAMNAV_LIFECYCLE_DAYS (default 60) days from today (or has already passed) gets one proposal,
for the earlier of the two dates. At most one open proposal per device; a proposal dismissed
or ordered is not made again for the same date (a new date makes a new proposal).

The offering proposed is the first of the device kind's replacement offerings
(SAMNAV_DEVICE_REPLACEMENT_OFFERINGS, by default `DEFAULT_OFFERINGS`: cheapest first) that
this agency may order: its security and availability levels, lifecycle and price
(catalogue's `orderable_filter`), and ordering's prerequisites and exclusions against what the
agency holds (ordering's quote). When there is none, the proposal has no offering and says why
(`offering_note`); accepting tries again, as the catalogue may have changed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.catalogue.models import Offering
from services.catalogue.selectors import orderable_filter
from services.devices.models import Device, DeviceKind, DeviceState
from services.devices.replacements.models import ProposalReason, ProposalState, ReplacementProposal
from services.ordering.quotes import LineRequest, quote
from services.people.notify import admin_addresses, send_after_commit
from tenants.models import Agency

# Offerings that replace a device of each kind, in the order they are tried (cheapest first).
DEFAULT_OFFERINGS: dict[str, tuple[str, ...]] = {
    DeviceKind.COMPUTER: (
        "klient-installation",
        "klient-standard",
        "klient-forstarkt",
        "klient-skyddad",
    ),
    DeviceKind.PHONE: ("mobil-telefon",),
    DeviceKind.TABLET: ("mobil-surfplatta",),
}
ACTIVE_DEVICE_STATES = (DeviceState.IN_USE, DeviceState.IN_STOCK)


def lifecycle_days() -> int:
    return int(getattr(settings, "SAMNAV_LIFECYCLE_DAYS", 60))


def offering_codes(kind: str) -> tuple[str, ...]:
    configured = getattr(settings, "SAMNAV_DEVICE_REPLACEMENT_OFFERINGS", None) or {}
    return tuple(configured.get(kind, DEFAULT_OFFERINGS.get(kind, ())))


def _orders_alone(agency: Agency, offering: Offering, today: dt.date) -> bool:
    """Ordering would take this offering alone (prerequisites held, nothing held excludes it).
    In the agency's schema."""
    try:
        result = quote(agency, [LineRequest(offering.pk, 1)], today=today)
    except ValidationError:
        return False
    return not result.missing_prerequisites and not result.exclusions


def replacement_offering(
    agency: Agency, kind: str, today: dt.date | None = None
) -> tuple[Offering | None, str]:
    """The offering that replaces a device of `kind` for `agency`, or None and why not. Call
    inside tenant_context(agency)."""
    today = today or timezone.localdate()
    codes = offering_codes(kind)
    found = {
        o.code: o
        for o in Offering.objects.filter(code__in=codes).filter(orderable_filter(agency, today))
    }
    for code in codes:
        if code in found and _orders_alone(agency, found[code], today):
            return found[code], ""
    label = DeviceKind(kind).label if kind in DeviceKind.values else kind
    return None, _(
        "The catalogue has no replacement for a %(kind)s that the agency may order "
        "(security and availability levels, prerequisites)."
    ) % {"kind": str(label).lower()}


def due(device: Device, horizon: dt.date) -> tuple[str, dt.date] | None:
    """The reason and date of the earliest replacement date on or before `horizon`."""
    dates = [
        (when, reason)
        for when, reason in (
            (device.warranty_ends_on, ProposalReason.WARRANTY),
            (device.planned_replacement_on, ProposalReason.PLANNED_REPLACEMENT),
        )
        if when is not None and when <= horizon
    ]
    if not dates:
        return None
    when, reason = min(dates)
    return reason, when


def propose(agency: Agency, today: dt.date | None = None) -> list[ReplacementProposal]:
    """Create the proposals due in `agency` (idempotent) and mail its admins the new ones,
    once per run, after commit. Returns the proposals created."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=lifecycle_days())
    created = []
    chosen: dict[str, tuple[Offering | None, str]] = {}
    with tenant_context(agency), transaction.atomic():
        devices = Device.objects.filter(state__in=ACTIVE_DEVICE_STATES, is_loaner=False).filter(
            Q(warranty_ends_on__lte=horizon) | Q(planned_replacement_on__lte=horizon)
        )
        taken = set(
            ReplacementProposal.objects.filter(device__in=devices).values_list(
                "device_id", "reason", "due_on"
            )
        )
        open_ = set(
            ReplacementProposal.objects.filter(
                device__in=devices, state=ProposalState.PROPOSED
            ).values_list("device_id", flat=True)
        )
        for device in devices.order_by("pk"):
            found = due(device, horizon)
            if found is None or device.pk in open_ or (device.pk, *found) in taken:
                continue
            if device.kind not in chosen:
                chosen[device.kind] = replacement_offering(agency, device.kind, today)
            offering, note = chosen[device.kind]
            try:
                with transaction.atomic():  # a concurrent run may have proposed it a moment ago
                    proposal = ReplacementProposal.objects.create(
                        device=device,
                        reason=found[0],
                        due_on=found[1],
                        offering=offering,
                        offering_note=note,
                    )
            except IntegrityError:
                continue
            proposal.device = device
            created.append(proposal)
        if created:
            _notify(agency, created)
    return created


def _notify(agency: Agency, proposals: list[ReplacementProposal]) -> None:
    recipients = admin_addresses([agency]).get(agency.pk, [])
    subject = _("%(count)s devices are due for replacement") % {"count": len(proposals)}
    lines = [
        _(
            "These devices reach the end of their warranty or their planned replacement soon. "
            "Each has a replacement proposal: accept it to place the order, or dismiss it."
        ),
        "",
    ]
    for p in proposals:
        lines.append(
            _("%(model)s (%(serial)s): %(reason)s on %(date)s")
            % {
                "model": p.device.model,
                "serial": p.device.serial_number,
                "reason": p.get_reason_display().lower(),
                "date": p.due_on.isoformat(),
            }
        )
    send_after_commit(subject, "\n".join(lines), recipients, agency=agency)
