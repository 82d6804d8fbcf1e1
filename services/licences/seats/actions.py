"""Write paths of seat assignments: give a held seat to a person, take it back."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tenants.utils import tenant_context

from services.licences import policies
from services.licences import pool_accounting as accounting
from services.licences.errors import LicenceErrorCode as Code
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tenants.models import Agency, User
from tenants.viewer import Viewer


def require_agency_admin(actor: User, agency: Agency) -> None:
    if not policies.keeps_seats(Viewer.of(actor, agency)):
        raise PermissionDenied(_("Only an admin of this agency may do this."))


def assign_seat(agency: Agency, actor: User, person_id: int, pool_id: int) -> SeatAssignment:
    require_agency_admin(actor, agency)
    with tenant_context(agency), transaction.atomic():
        accounting.lock_pool(pool_id)  # serialises with every other change of the pool
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise ValidationError(
                {"person": ValidationError(_("No such person."), code=Code.NOT_FOUND)}
            )
        if person.employment_ends_on and person.employment_ends_on < timezone.localdate():
            raise ValidationError(
                {
                    "person": ValidationError(
                        _("This person has left the agency."), code=Code.INVALID
                    )
                }
            )
        if SeatAssignment.objects.filter(pool_id=pool_id, person=person, released_at=None).exists():
            raise ValidationError(
                {
                    "person": ValidationError(
                        _("This person already has a seat of this pool."),
                        code=Code.ALREADY_ASSIGNED,
                    )
                }
            )
        accounting.count_assignment(pool_id, agency, +1)
        return SeatAssignment.objects.create(pool_id=pool_id, person=person)


def release_seat(
    agency: Agency, actor: User, assignment_id: int, reason: str = ""
) -> SeatAssignment:
    require_agency_admin(actor, agency)
    with tenant_context(agency), transaction.atomic():
        seat = (
            SeatAssignment.objects.select_for_update()
            .filter(pk=assignment_id, released_at=None)
            .first()
        )
        if seat is None:
            raise ValidationError(
                {"seat": ValidationError(_("No such active seat."), code=Code.NOT_FOUND)}
            )
        # Standard reasons are stored in English and translated when shown.
        return _release(agency, seat, reason or gettext_noop("Released by the agency admin"))


def release_leavers(agency: Agency, today: dt.date | None = None) -> int:
    """Release the seats of people whose employment has ended (a periodic task)."""
    today = today or timezone.localdate()
    released = 0
    with tenant_context(agency):
        leaving = list(
            SeatAssignment.objects.filter(
                released_at=None, person__employment_ends_on__lt=today
            ).values_list("pk", flat=True)
        )
        for pk in leaving:
            with transaction.atomic():
                seat = (
                    SeatAssignment.objects.select_for_update()
                    .filter(pk=pk, released_at=None)
                    .first()
                )
                if seat is not None:
                    _release(agency, seat, gettext_noop("Employment ended"))
                    released += 1
    return released


def release_person(agency: Agency, person_id: int) -> int:
    """Release every seat of a person who left the register (services/people/actions.py sends
    `person_deactivated`; called inside its transaction, in the agency's schema)."""
    seats = SeatAssignment.objects.select_for_update().filter(person_id=person_id, released_at=None)
    released = 0
    for seat in seats:
        _release(agency, seat, gettext_noop("The person left the register"))
        released += 1
    return released


def _release(agency: Agency, seat: SeatAssignment, reason: str) -> SeatAssignment:
    accounting.count_assignment(seat.pool_id, agency, -1)
    seat.released_at, seat.release_reason = timezone.now(), reason[:200]
    seat.save(update_fields=["released_at", "release_reason"])
    return seat
