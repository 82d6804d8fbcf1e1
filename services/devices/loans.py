"""Loans of hub loaners, the agency's half (docs/decisions/2026-12-07-loaners.md): who has a
loaner is personal data, so the loan lives here, in the agency's schema. The hub's half (the
stock item, public) is `services.hubs.actions.lend_loaner` / `return_loaner`, which lock the
stock item and call these in the same transaction (through devices/interface.py).

While the agency has it, the loaner is a device of its register (`is_loaner`), and each step is
a hand-over in its chain of custody: hub to person when lent, person to hub when taken back."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices import custody, policies
from services.devices.errors import DeviceErrorCode as Code
from services.devices.models import CustodianKind, Device, DeviceState, Loan
from services.people.models import Person
from services.validation import field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer


def require_lender(actor: User) -> None:
    if not policies.lends_loaners(Viewer.of(actor)):
        raise PermissionDenied(_("Only hub staff and the service desk lend loaners."))


def find_borrower(agency: Agency, email: str) -> Person | None:
    """The one active person of `agency` with this e-mail address (hub staff ask the borrower);
    None when nobody, or more than one person, has it."""
    email = (email or "").strip()
    if not email:
        return None
    with tenant_context(agency):
        found = list(Person.objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def borrower_exists(agency: Agency, person_id: int) -> bool:
    with tenant_context(agency):
        return Person.objects.filter(pk=person_id, is_active=True).exists()


def _device_for(serial_number: str, model: str, hub_id: int) -> Device:
    """The loaner as a device of the agency (current schema): the one from an earlier loan, or
    a new entry at the hub."""
    device = Device.objects.select_for_update().filter(serial_number=serial_number).first()
    if device is None:
        return Device.objects.create(
            serial_number=serial_number,
            model=model,
            is_loaner=True,
            state=DeviceState.IN_STOCK,
            custodian_kind=CustodianKind.HUB,
            custodian_ref=hub_id,
            location_hub_id=hub_id,
            custodian_since=timezone.now() - dt.timedelta(seconds=1),
        )
    if not device.is_loaner:
        raise field_error(
            "stock_item",
            _("The agency has a device of its own with this serial number."),
            Code.DUPLICATE,
        )
    return device


def open_loan(
    agency: Agency,
    actor: User,
    *,
    stock_item_id: int,
    serial_number: str,
    model: str,
    hub_id: int,
    person_id: int,
    expected_return: dt.date,
) -> Loan:
    """The agency's half of lending: the device at the hub goes to the person, and the loan is
    recorded. Run inside the caller's transaction, which holds the stock item's lock."""
    require_lender(actor)
    with tenant_context(agency):
        person = Person.objects.filter(pk=person_id, is_active=True).first()
        if person is None:
            raise field_error("person", _("No such person in the agency."), Code.NOT_FOUND)
        device = _device_for(serial_number, model, hub_id)
        custody.record_handover(
            agency,
            actor,
            device.pk,
            giver=custody.Custodian(device.custodian_kind, device.custodian_ref),
            receiver=custody.Custodian(CustodianKind.PERSON, person.pk),
            where_hub_id=hub_id,
            note=_("Loaner, back by %(date)s") % {"date": expected_return.isoformat()},
        )
        return Loan.objects.create(
            device=device,
            stock_item_id=stock_item_id,
            hub_id=hub_id,
            person=person,
            expected_return=expected_return,
            lent_by_id=actor.pk,
        )


def close_loan(agency: Agency, actor: User, *, stock_item_id: int, hub_id: int) -> Loan:
    """The agency's half of taking a loaner back: the open loan ends and the device goes from
    whoever has it to the hub. Run inside the caller's transaction."""
    require_lender(actor)
    with tenant_context(agency):
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("device")
            .filter(stock_item_id=stock_item_id, returned_at__isnull=True)
            .first()
        )
        if loan is None:
            raise field_error("stock_item", _("No open loan of it."), Code.NOT_FOUND)
        device = loan.device
        custody.record_handover(
            agency,
            actor,
            device.pk,
            giver=custody.Custodian(device.custodian_kind, device.custodian_ref),
            receiver=custody.Custodian(CustodianKind.HUB, hub_id),
            where_hub_id=hub_id,
            state=DeviceState.IN_STOCK,
        )
        loan.returned_at, loan.returned_by_id = timezone.now(), actor.pk
        loan.save(update_fields=["returned_at", "returned_by_id"])
    return loan
