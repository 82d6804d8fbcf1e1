"""Hub pages on the central host: a hub's bookings of one day across agencies (from the
cross-agency index; who is coming is read inside each agency's schema), marking people
attended, recording a device's hand-over at the desk (person to hub, hub to technician, hub to
person), and the hub's stock. Writes go through the bookings and devices actions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from portal.paging import paginate
from services.crossindex.models import IndexEntry, IndexKind
from services.devices import interface as devices
from services.field.models import Technician
from services.hubs import policies, stock
from services.hubs.bookings import interface as bookings
from services.hubs.models import Hub, StockKind, StockState
from services.validation import day_or_today
from tenants.models import Agency, User
from tenants.viewer import of_request

DIRECTIONS = ("in", "technician", "out")


def require_hub_staff(request: HttpRequest) -> None:
    if not policies.works_hub_days(of_request(request)):
        raise PermissionDenied(_("This page is for hub staff and the service desk."))


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def _load_bookings(entries: Iterable[IndexEntry]) -> dict[tuple[int, int], bookings.Booking]:
    """The bookings of a page of index entries, one query per agency on the page."""
    by_agency: dict[int, list] = defaultdict(list)
    for entry in entries:
        by_agency[entry.agency_id].append(entry)
    out = {}
    for rows in by_agency.values():
        agency = rows[0].agency
        with tenant_context(agency):
            for booking in bookings.Booking.objects.select_related("person", "device").filter(
                pk__in=[e.local_id for e in rows]
            ):
                out[(agency.pk, booking.pk)] = booking
    return out


@login_required
def hub_bookings(request: HttpRequest) -> HttpResponse:
    require_hub_staff(request)
    hubs = list(Hub.objects.filter(is_active=True).order_by("county", "name"))
    try:
        chosen = int(request.GET.get("hub", ""))
    except ValueError:
        chosen = None
    hub = next((h for h in hubs if h.pk == chosen), hubs[0] if hubs else None)
    day = day_or_today(request.GET.get("day"))
    rows, counts, page = [], [], None
    if hub is not None:
        start, end = _bounds(day)
        qs = (
            IndexEntry.objects.filter(
                kind=IndexKind.BOOKING, group=str(hub.pk), due_at__gte=start, due_at__lt=end
            )
            .select_related("agency")
            .order_by("due_at", "id")
        )
        page = paginate(request, qs)
        entries = list(page)
        loaded = _load_bookings(entries)
        rows = [
            {"entry": e, "booking": loaded[(e.agency_id, e.local_id)]}
            for e in entries
            if (e.agency_id, e.local_id) in loaded
        ]
        counted = stock.with_stock_counts(Hub.objects.filter(pk=hub.pk)).get()
        kinds, states = dict(StockKind.choices), dict(StockState.choices)
        counts = [(kinds[k], states[s], n) for k, s, n in stock.counts_of(counted)]
    technicians = Technician.objects.filter(is_active=True).select_related("user")
    return render(
        request,
        "hubs/bookings.html",
        {
            "hubs": hubs,
            "hub": hub,
            "day": day,
            "page": page,
            "rows": rows,
            "stock_counts": counts,
            "technicians": list(technicians.order_by("user__username")),
            "query": urlencode({"hub": hub.pk if hub else "", "day": day.isoformat()}),
            "attendable": (bookings.BookingState.BOOKED, bookings.BookingState.NO_SHOW),
        },
    )


def _back(request: HttpRequest, booking: bookings.Booking | None = None) -> HttpResponse:
    hub = request.POST.get("hub") or (booking.hub_id if booking else "")
    day = request.POST.get("day", "")
    return redirect(f"{reverse('hubs:bookings')}?{urlencode({'hub': hub, 'day': day})}")


def _agency(agency_id: int) -> Agency:
    agency = Agency.objects.members().filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


@login_required
@require_POST
def attend(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    require_hub_staff(request)
    agency = _agency(agency_id)
    try:
        bookings.mark_attended(agency, cast(User, request.user), pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked as attended."))
    return _back(request)


@login_required
@require_POST
def handover(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """A device of a booking changes hands at the hub's desk."""
    require_hub_staff(request)
    agency = _agency(agency_id)
    with tenant_context(agency):
        booking = bookings.Booking.objects.select_related("device").filter(pk=pk).first()
    if booking is None:
        raise Http404
    direction = request.POST.get("direction")
    Custodian = devices.Custodian  # noqa: N806
    hub = Custodian(devices.CustodianKind.HUB, booking.hub_id)
    person = Custodian(devices.CustodianKind.PERSON, booking.person_id)
    if booking.device_id is None:
        messages.error(request, _("No device is linked to this booking."))
        return _back(request, booking)
    if direction == "in":
        giver, receiver = person, hub
    elif direction == "out":
        giver, receiver = hub, person
    elif direction == "technician":
        try:
            tech = int(request.POST.get("technician", ""))
        except ValueError:
            messages.error(request, _("Choose a technician."))
            return _back(request, booking)
        giver, receiver = hub, Custodian(devices.CustodianKind.TECHNICIAN, tech)
    else:
        messages.error(request, _("Choose what happens to the device."))
        return _back(request, booking)
    try:
        devices.record_handover(
            agency,
            cast(User, request.user),
            booking.device_id,
            giver=giver,
            receiver=receiver,
            where_hub_id=booking.hub_id,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The hand-over is recorded."))
    return _back(request, booking)
