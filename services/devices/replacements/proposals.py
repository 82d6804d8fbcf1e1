"""Finding the devices due for replacement and proposing it to the agency's admins.

A device in use or in stock whose warranty ends or planned replacement falls within
SAMNAV_LIFECYCLE_DAYS (default 60) days from today (or has already passed) gets one proposal,
for the earlier of the two dates. At most one open proposal per device; a proposal dismissed
or ordered is not made again for the same date (a new date makes a new proposal). The offering
proposed is the catalogue offering whose code is SAMNAV_DEVICE_REPLACEMENT_OFFERING (default
"klient-installation": installation and handover of a computer), or none when the catalogue
has no such offering (accepting then says so).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.catalogue.models import Offering
from services.devices.models import Device, DeviceState
from services.devices.replacements.models import ProposalReason, ProposalState, ReplacementProposal
from services.people.notify import admin_addresses, send_after_commit
from tenants.models import Agency

DEFAULT_OFFERING_CODE = "klient-installation"
ACTIVE_DEVICE_STATES = (DeviceState.IN_USE, DeviceState.IN_STOCK)


def lifecycle_days() -> int:
    return int(getattr(settings, "SAMNAV_LIFECYCLE_DAYS", 60))


def replacement_offering() -> Offering | None:
    code = getattr(settings, "SAMNAV_DEVICE_REPLACEMENT_OFFERING", DEFAULT_OFFERING_CODE)
    return Offering.objects.filter(code=code).first() if code else None


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
    offering = replacement_offering()
    created = []
    with tenant_context(agency), transaction.atomic():
        devices = Device.objects.filter(state__in=ACTIVE_DEVICE_STATES).filter(
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
            try:
                with transaction.atomic():  # a concurrent run may have proposed it a moment ago
                    proposal = ReplacementProposal.objects.create(
                        device=device, reason=found[0], due_on=found[1], offering=offering
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
