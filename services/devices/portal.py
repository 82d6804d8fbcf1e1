"""The device register on an agency's host (its admins): register a device, see every device
with its whereabouts and chain of custody, and record a hand-over within the agency (to one of
its people or to its store). Writes go through services.devices.actions and .custody."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal.forms import submit
from portal.paging import paginate
from services.devices import actions, custody, policies
from services.devices.models import CustodianKind, Device, DeviceKind, DeviceState, Handover
from services.hubs.models import Hub
from services.people.models import Person
from tenants.models import Agency, User
from tenants.viewer import of_request


def _people() -> QuerySet[Person]:
    return Person.objects.order_by("name", "id")


class RegisterForm(forms.Form):
    serial_number = forms.CharField(label=_l("Serial number"), max_length=60)
    model = forms.CharField(label=_l("Model"), max_length=120)
    kind = forms.ChoiceField(
        label=_l("Kind"),
        choices=DeviceKind.choices,
        required=False,
        initial=DeviceKind.COMPUTER,
        help_text=_l("Decides which catalogue offering can replace it."),
    )
    holder = forms.ModelChoiceField(
        label=_l("Holder"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_l("Nobody (the agency's store)"),
    )
    warranty_ends_on = forms.DateField(
        label=_l("Warranty ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    planned_replacement_on = forms.DateField(
        label=_l("Planned replacement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    state = forms.ChoiceField(label=_l("State"), choices=DeviceState.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = _people()  # type: ignore[attr-defined]


RECEIVERS = [
    (CustodianKind.PERSON, _l("A person of the agency")),
    (CustodianKind.AGENCY, _l("The agency's store")),
]


class HandoverForm(forms.Form):
    device = forms.ModelChoiceField(label=_l("Device"), queryset=Device.objects.none())
    to_kind = forms.ChoiceField(label=_l("Hand it to"), choices=RECEIVERS)
    to_person = forms.ModelChoiceField(
        label=_l("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_l("When handing it to a person."),
    )
    where = forms.CharField(label=_l("Where"), max_length=200, required=False)
    note = forms.CharField(label=_l("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = Device.objects.exclude(state=DeviceState.RETIRED).order_by(  # type: ignore[attr-defined]
            "serial_number"
        )
        self.fields["to_person"].queryset = _people()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        if data.get("to_kind") == CustodianKind.PERSON and not data.get("to_person"):
            self.add_error("to_person", _("Choose the person."))
        return data


def _require_admin(request: HttpRequest) -> None:
    if not policies.keeps_register(of_request(request)):
        raise PermissionDenied(_("Only the agency's admins keep its device register."))


class Names:
    """Who a custodian is, for a page of devices: people, hubs and technicians named in a
    fixed number of queries (one each), whatever the number of devices."""

    def __init__(self, devices: Iterable[Device]) -> None:
        refs: dict[str, set[int | None]] = {k: set() for k in CustodianKind.values}
        for device in devices:
            refs[device.custodian_kind].add(device.custodian_ref)
            for h in device.handovers.all():
                refs[h.from_kind].add(h.from_ref)
                refs[h.to_kind].add(h.to_ref)
        ids = {k: {r for r in v if r is not None} for k, v in refs.items()}
        self.people = dict(
            Person.objects.filter(pk__in=ids[CustodianKind.PERSON]).values_list("pk", "name")
        )
        self.hubs = dict(
            Hub.objects.filter(pk__in=ids[CustodianKind.HUB]).values_list("pk", "name")
        )
        self.users = dict(
            User.objects.filter(pk__in=ids[CustodianKind.TECHNICIAN]).values_list("pk", "username")
        )

    def __call__(self, kind: str, ref: int | None) -> str:
        label = CustodianKind(kind).label if kind in CustodianKind.values else kind
        if kind == CustodianKind.AGENCY:
            return str(label)
        named: dict[str, dict[Any, str]] = {
            CustodianKind.PERSON: self.people,
            CustodianKind.HUB: self.hubs,
            CustodianKind.TECHNICIAN: self.users,
        }
        name = named.get(kind, {}).get(ref, f"#{ref}")
        return f"{label}: {name}"


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency: Agency = request.tenant  # type: ignore[attr-defined]
    register = RegisterForm(request.POST or None, prefix="reg")
    hand = HandoverForm(request.POST or None, prefix="ho")
    status = 200
    action = request.POST.get("action")
    if request.method == "POST" and action == "register":
        hand = HandoverForm(prefix="ho")

        def act(data: dict[str, Any]) -> Device | Handover:
            return actions.register_device(
                agency,
                cast(User, request.user),
                actions.DeviceInput(
                    serial_number=data["serial_number"],
                    model=data["model"],
                    holder_id=data["holder"].pk if data["holder"] else None,
                    warranty_ends_on=data["warranty_ends_on"],
                    planned_replacement_on=data["planned_replacement_on"],
                    state=data["state"],
                    kind=data["kind"] or DeviceKind.COMPUTER,
                ),
            )

        device = submit(register, act, {"holder": "holder"})
        if device is not None:
            messages.success(request, _("Device %(serial)s is registered.") % {"serial": device})
            return redirect("devices:devices")
        status = 400
    elif request.method == "POST" and action == "handover":
        register = RegisterForm(prefix="reg")

        def act(data: dict[str, Any]) -> Device | Handover:
            device = data["device"]
            receiver = custody.Custodian(
                data["to_kind"],
                data["to_person"].pk if data["to_kind"] == CustodianKind.PERSON else None,
            )
            return custody.record_handover(
                agency,
                cast(User, request.user),
                device.pk,
                giver=custody.Custodian(device.custodian_kind, device.custodian_ref),
                receiver=receiver,
                where_text=data["where"],
                note=data["note"],
            )

        done = submit(hand, act, {"from": "device", "to": "to_person"})
        if done is not None:
            messages.success(request, _("The hand-over is recorded."))
            return redirect("devices:devices")
        status = 400
    elif request.method == "POST":
        register, hand = RegisterForm(prefix="reg"), HandoverForm(prefix="ho")
        status = 400
    page = paginate(
        request,
        Device.objects.select_related("holder", "location_hub")
        .prefetch_related("handovers__where_hub")
        .order_by("serial_number", "id"),
    )
    rows = list(page)
    names = Names(rows)
    listing = [
        {
            "device": d,
            "with": names(d.custodian_kind, d.custodian_ref),
            "history": [
                {"h": h, "from": names(h.from_kind, h.from_ref), "to": names(h.to_kind, h.to_ref)}
                for h in d.handovers.all()
            ],
        }
        for d in rows
    ]
    return render(
        request,
        "devices/devices.html",
        {"register": register, "hand": hand, "page": page, "rows": listing},
        status=status,
    )
