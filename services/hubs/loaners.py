"""The loaners page of a hub on the central host (hub staff, service desk, platform admins): the
hub's loaners with who has them and until when, lending one to a person of an agency (found by
their e-mail address in that agency's register), taking one back, and every hub's overdue
loaners. Writes go through the hubs' loan actions (services/hubs/actions.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from portal.forms import submit
from portal.paging import paginate
from services.devices import interface as devices
from services.hubs import actions, policies
from services.hubs.models import Hub, StockItem, StockKind, StockState
from tenants.models import Agency, AgencyState, User
from tenants.viewer import Viewer, of_request

OVERDUE_SHOWN = 50


def _require(request: HttpRequest) -> Viewer:
    viewer = of_request(request)
    if not policies.works_loaners(viewer):
        raise PermissionDenied(_("This page is for hub staff and the service desk."))
    return viewer


class LendForm(forms.Form):
    loaner = forms.ModelChoiceField(label=_l("Loaner"), queryset=StockItem.objects.none())
    agency = forms.ModelChoiceField(label=_l("Agency"), queryset=Agency.objects.none())
    email = forms.EmailField(
        label=_l("The borrower's e-mail address"),
        help_text=_l("As in the agency's register of people."),
    )
    expected_return = forms.DateField(
        label=_l("Expected back on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, hub: Hub | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        available = StockItem.objects.filter(kind=StockKind.LOANER, state=StockState.AVAILABLE)
        self.fields["loaner"].queryset = available.filter(hub=hub).order_by("serial_number")  # type: ignore[attr-defined]
        self.fields["agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.members().filter(state=AgencyState.ACTIVE).order_by("name")
        )
        self.fields["expected_return"].initial = timezone.localdate() + dt.timedelta(days=14)


def _borrowers(viewer: Viewer, items: Iterable[StockItem]) -> dict[int, Any]:
    """The open loans of lent items, by stock item id: one query per agency among them."""
    by_agency: dict[int, list[StockItem]] = defaultdict(list)
    for item in items:
        if item.state == StockState.LENT and item.agency_id is not None:
            by_agency[item.agency_id].append(item)
    out: dict[int, Any] = {}
    for rows in by_agency.values():
        agency = cast(Agency, rows[0].agency)
        with tenant_context(agency):
            loans = devices.Loan.objects.filter(
                stock_item_id__in=[i.pk for i in rows], returned_at__isnull=True
            ).select_related("person")
            for loan in devices.visible_loans(viewer, loans):
                out[loan.stock_item_id] = loan
    return out


def _hub_of(request: HttpRequest, hubs: list[Hub]) -> Hub | None:
    try:
        chosen = int(request.GET.get("hub") or request.POST.get("hub") or "")
    except ValueError:
        chosen = None
    return next((h for h in hubs if h.pk == chosen), hubs[0] if hubs else None)


@login_required
def loaners(request: HttpRequest) -> HttpResponse:
    viewer = _require(request)
    hubs = list(Hub.objects.filter(is_active=True).order_by("county", "name"))
    hub = _hub_of(request, hubs)
    lend = LendForm(request.POST or None, hub=hub, prefix="lend")
    status = 200
    if request.method == "POST":

        def act(data: dict[str, Any]) -> object:
            person = devices.find_borrower(data["agency"], data["email"])
            if person is None:
                raise ValidationError(
                    {"email": _("Nobody in the agency's register has this e-mail address.")}
                )
            return actions.lend_loaner(
                data["agency"],
                cast(User, request.user),
                data["loaner"].pk,
                person_id=person.pk,
                expected_return=data["expected_return"],
            )

        field_map = {"stock_item": "loaner", "person": "email"}
        if submit(lend, act, field_map) is not None:
            messages.success(request, _("The loaner is lent."))
            return redirect(_back(hub))
        status = 400
    today = timezone.localdate()
    page = paginate(
        request,
        StockItem.objects.filter(hub=hub, kind=StockKind.LOANER)
        .select_related("agency")
        .order_by("serial_number", "id"),
    )
    items = list(page)
    overdue = list(
        policies.stock_items(
            viewer,
            StockItem.objects.filter(
                kind=StockKind.LOANER, state=StockState.LENT, due_back_on__lt=today
            ),
        )
        .select_related("agency", "hub")
        .order_by("due_back_on", "id")[:OVERDUE_SHOWN]
    )
    loans = _borrowers(viewer, [*items, *overdue])
    return render(
        request,
        "hubs/loaners.html",
        {
            "hubs": hubs,
            "hub": hub,
            "page": page,
            "rows": [{"item": i, "loan": loans.get(i.pk)} for i in items],
            "overdue": [{"item": i, "loan": loans.get(i.pk)} for i in overdue],
            "lend": lend,
            "today": today,
            "lent": StockState.LENT,
        },
        status=status,
    )


def _back(hub: Hub | int | None) -> str:
    pk = hub.pk if isinstance(hub, Hub) else hub
    return f"{reverse('hubs:loaners')}?{urlencode({'hub': pk or ''})}"


@login_required
@require_POST
def take_back(request: HttpRequest, pk: int) -> HttpResponse:
    """A lent loaner comes back to its hub."""
    _require(request)
    try:
        loan = actions.return_loaner(cast(User, request.user), pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(None))
    messages.success(request, _("The loaner is back in stock."))
    return redirect(_back(loan.hub_id))
