"""Portal pages of hub bookings on an agency's host: find a hub (by county, with its address,
opening hours and services), pick a date and see its free slots (refreshed in place by htmx),
book a slot for a service (optionally for a ticket or a device), and see and cancel bookings
(the agency's admins: all of the agency's). Writes go through services.hubs.bookings.actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from portal.forms import submit
from portal.paging import paginate
from services.devices.models import Device
from services.hubs import slots
from services.hubs.bookings import actions, policies
from services.hubs.bookings.models import Booking, BookingState, RemindBy
from services.hubs.models import Hub, HubService
from services.support.models import OPEN_TICKET_STATES, Ticket
from services.validation import day_or_today
from tenants.counties import COUNTIES, COUNTY_CHOICES
from tenants.models import User
from tenants.viewer import of_request


class BookForm(forms.Form):
    hub = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label=_l("Time"))  # rendered as one radio per slot
    service = forms.ChoiceField(label=_l("Service"), choices=HubService.choices)
    ticket = forms.ModelChoiceField(
        label=_l("For ticket"),
        queryset=Ticket.objects.none(),
        required=False,
        empty_label=_l("No ticket"),
    )
    device = forms.ModelChoiceField(
        label=_l("Device"),
        queryset=Device.objects.none(),
        required=False,
        empty_label=_l("No device"),
    )
    remind_by = forms.ChoiceField(
        label=_l("Reminder by"),
        choices=[("", _l("E-mail if we have your address, else SMS")), *RemindBy.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, admin: bool, user_id: int, hub: Hub | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tickets = Ticket.objects.filter(state__in=OPEN_TICKET_STATES).order_by("-created_at")
        devices = Device.objects.order_by("serial_number")
        if not admin:
            tickets = tickets.filter(requester__user_id=user_id)
            devices = devices.filter(holder__user_id=user_id)
        cast(forms.ModelChoiceField, self.fields["ticket"]).queryset = tickets
        cast(forms.ModelChoiceField, self.fields["device"]).queryset = devices
        if hub is not None:
            offered = set(hub.services or [])
            service = cast(forms.ChoiceField, self.fields["service"])
            service.choices = [c for c in HubService.choices if c[0] in offered]


def _require_member(request: HttpRequest) -> bool:
    """Whether the user is one of the agency's admins; PermissionDenied for non-members."""
    viewer = of_request(request)
    if not policies.is_member(viewer):
        raise PermissionDenied(_("You have no role in this agency."))
    return policies.is_admin(viewer)


def _hubs() -> QuerySet[Hub]:
    return (
        Hub.objects.filter(is_active=True)
        .select_related("calendar")
        .prefetch_related("calendar__opening_hours")
        .order_by("county", "name")
    )


def _slots_context(
    request: HttpRequest, hub: Hub | None, day: dt.date, form: BookForm
) -> dict[str, Any]:
    found = slots.day_slots(hub, day, agency=request.tenant) if hub is not None else []  # type: ignore[attr-defined]  # django-tenants middleware
    chosen = form["starts_at"].value()
    return {
        "hub": hub,
        "day": day,
        "slots": [
            {
                "slot": s,
                "value": s.starts_at.isoformat(),
                "checked": s.starts_at.isoformat() == chosen,
            }
            for s in found
        ],
        "book_form": form,
    }


def _hub_of(value: str | None) -> Hub | None:
    try:
        return _hubs().filter(pk=int(value)).first()  # type: ignore[arg-type]  # None: TypeError
    except (TypeError, ValueError):
        return None


def _with_labels(hubs: Iterable[Hub]) -> list[Hub]:
    """The hubs, each with the names of the services it offers."""
    names = dict(HubService.choices)
    out = list(hubs)
    for hub in out:
        hub.service_labels = [names.get(s, s) for s in hub.services or []]  # type: ignore[attr-defined]
    return out


@login_required
def book(request: HttpRequest) -> HttpResponse:
    """Find a hub, pick a date and a slot, book; my bookings below."""
    admin = _require_member(request)
    county = request.GET.get("county", "")
    if county not in COUNTIES:
        county = ""
    source = request.POST if request.method == "POST" else request.GET
    hub = _hub_of(source.get("hub"))
    day = day_or_today(source.get("day"))
    form = BookForm(
        request.POST or None,
        admin=admin,
        user_id=cast(User, request.user).pk,
        hub=hub,
        initial={"hub": hub.pk if hub else None},
    )
    status = 200
    if request.method == "POST":

        def act(data: dict[str, Any]) -> Booking:
            return actions.book_slot(
                request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
                cast(User, request.user),
                hub_id=data["hub"],
                service=data["service"],
                starts_at=data["starts_at"],
                ticket_id=data["ticket"].pk if data["ticket"] else None,
                device_id=data["device"].pk if data["device"] else None,
                remind_by=data["remind_by"] or None,
            )

        booking = submit(form, act)
        if booking is not None:
            messages.success(
                request,
                _("Booked: %(hub)s, %(when)s.")
                % {
                    "hub": hub.name,  # type: ignore[union-attr]  # booked: the hub exists
                    "when": timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("bookings:book")
        if form.cleaned_data.get("starts_at"):
            day = timezone.localtime(form.cleaned_data["starts_at"]).date()
        status = 400
    hubs = _hubs()
    if county:
        hubs = hubs.filter(county=county)
    scope = "agency" if admin and request.GET.get("scope") == "agency" else "mine"
    bookings = policies.bookings(
        of_request(request), Booking.objects.select_related("hub").order_by("-starts_at", "-id")
    )
    if scope == "mine":
        bookings = bookings.filter(person__user_id=request.user.pk)
    else:
        bookings = bookings.select_related("person")
    page = paginate(request, bookings)
    return render(
        request,
        "bookings/book.html",
        {
            "counties": COUNTY_CHOICES,
            "county": county,
            "hubs": _with_labels(hubs),
            "page": page,
            "scope": scope,
            "is_admin": admin,
            "query": f"scope={scope}",
            "cancellable": BookingState.BOOKED,
            "now": timezone.now(),
            **_slots_context(request, hub, day, form),
        },
        status=status,
    )


@login_required
@require_GET
def slot_list(request: HttpRequest) -> HttpResponse:
    """The htmx partial: the free slots of the chosen hub and date, with the booking form."""
    admin = _require_member(request)
    hub = _hub_of(request.GET.get("hub"))
    day = day_or_today(request.GET.get("day"))
    form = BookForm(
        admin=admin,
        user_id=cast(User, request.user).pk,
        hub=hub,
        initial={"hub": hub.pk if hub else None},
    )
    return render(request, "bookings/_slots.html", _slots_context(request, hub, day, form))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    try:
        actions.cancel_booking(
            request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
            cast(User, request.user),
            pk,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("bookings:book")
