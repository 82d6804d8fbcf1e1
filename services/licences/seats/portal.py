"""Portal pages of the agency's people and their licence seats (agency host, agency admins):
the people register (paginated, searchable by name) and, per person, the seats held; assigning
and releasing a seat go through services/licences/seats/actions.py, which keeps the agency's
quota."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import submit
from portal.paging import paginate
from services.licences import policies
from services.licences.models import AgencyQuota
from services.licences.seats import actions
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tenants.models import Agency, User
from tenants.viewer import of_request


class AssignForm(forms.Form):
    pool = forms.TypedChoiceField(label=_l("Licence"), coerce=int)

    def __init__(
        self, *args: Any, pool_choices: Iterable[tuple[Any, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [  # type: ignore[attr-defined]
            ("", _l("Choose a licence")),
            *pool_choices,
        ]


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_l("Reason (optional)"), max_length=200, required=False)


def require_admin(request: HttpRequest) -> Agency:
    """The host's agency, when the user is one of its admins (agency hosts only)."""
    agency = policies.seats_agency(of_request(request))
    if agency is None:
        raise PermissionDenied(_("Only an admin of this agency may open this page."))
    return agency


def _active_seats() -> QuerySet[SeatAssignment]:
    return SeatAssignment.objects.filter(released_at=None).select_related("pool")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    query = (request.GET.get("q") or "").strip()
    qs = Person.objects.annotate(
        seat_count=Count("seats", filter=Q(seats__released_at=None))
    ).prefetch_related(Prefetch("seats", queryset=_active_seats(), to_attr="active_seats"))
    if query:
        qs = qs.filter(name__icontains=query)
    page = paginate(request, qs.order_by("name", "pk"))
    return render(
        request,
        "seats/people.html",
        {
            "page": page,
            "people": list(page.object_list),
            "q": query,
            "query": f"q={query}" if query else "",
        },
    )


def _pool_choices(agency: Agency) -> tuple[list, list[AgencyQuota]]:
    """The pools the agency holds seats of, with what is free: one query."""
    quotas = list(
        AgencyQuota.objects.filter(agency=agency, held_seats__gt=0)
        .select_related("pool")
        .order_by("pool__product")
    )
    choices = [
        (
            q.pool_id,
            _("%(product)s (%(free)s of %(held)s free)")
            % {
                "product": q.pool.product,
                "free": q.held_seats - q.assigned_seats,
                "held": q.held_seats,
            },
        )
        for q in quotas
    ]
    return choices, quotas


def _person_or_404(pk: int) -> Person:
    person = (
        Person.objects.prefetch_related(
            Prefetch(
                "seats",
                queryset=SeatAssignment.objects.select_related("pool").order_by(
                    "released_at", "-starts_on", "-id"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404(_("No such person."))
    return person


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's seats (active and released), and the form that assigns a seat."""
    agency = require_admin(request)
    person = _person_or_404(pk)
    choices, quotas = _pool_choices(agency)
    form = AssignForm(request.POST or None, pool_choices=choices)
    if request.method == "POST":
        seat = submit(
            form,
            lambda data: actions.assign_seat(
                agency, cast(User, request.user), person.pk, data["pool"]
            ),
        )
        if seat is not None:
            messages.success(
                request,
                _("%(name)s got a seat of %(pool)s.")
                % {"name": person.name, "pool": seat.pool.product},
            )
            return redirect("seats:person", pk=person.pk)
    seats = list(person.seats.all())
    return render(
        request,
        "seats/person.html",
        {
            "person": person,
            "active": [s for s in seats if s.released_at is None],
            "released": [s for s in seats if s.released_at is not None],
            "form": form,
            "release_form": ReleaseForm(),
            "quotas": quotas,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def release(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    agency = require_admin(request)
    if not SeatAssignment.objects.filter(pk=seat_pk, person_id=pk).exists():
        raise Http404(_("No such seat."))
    form = ReleaseForm(request.POST)
    done = submit(
        form,
        lambda data: actions.release_seat(
            agency, cast(User, request.user), seat_pk, data["reason"]
        ),
    )
    if done is None:
        for error in form.errors.get("__all__", []) + form.errors.get("reason", []):
            messages.error(request, str(error))
    else:
        messages.success(request, _("The seat was released."))
    return redirect("seats:person", pk=pk)
