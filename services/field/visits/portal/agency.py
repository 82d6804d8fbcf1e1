"""Visit pages on an agency's host: request a field visit for one of my tickets (several
acceptable time windows), and follow my visits; the agency's admins see all of its visits."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms import apply_errors
from portal.paging import paginate
from services.field.visits import actions, policies
from services.field.visits.models import Visit, VisitState
from services.field.visits.portal.forms import VisitForm, WindowForm, WindowFormSet, open_tickets
from tenants.models import User
from tenants.viewer import of_request

CANCELLABLE = (VisitState.REQUESTED, VisitState.DISPATCHED)


def _require_member(request: HttpRequest) -> bool:
    """Whether the user is one of the agency's admins; PermissionDenied for non-members."""
    viewer = of_request(request)
    if not policies.is_member(viewer):
        raise PermissionDenied(_("You have no role in this agency."))
    return policies.is_admin(viewer)


def _windows_errors(
    formset: BaseFormSet[WindowForm], exc: ValidationError, positions: list[int]
) -> ValidationError | None:
    """Put the action's `windows...` errors on the window rows; return the rest."""
    rest = {}
    forms = formset.forms
    for key, errors in exc.error_dict.items():
        messages_ = [m for e in errors for m in e.messages]
        parts = key.split(".")
        if parts[0] != "windows":
            rest[key] = errors
            continue
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(positions):
            form = forms[positions[int(parts[1])]]
            name = {"starts_at": "starts", "ends_at": "ends"}.get(
                parts[2] if len(parts) > 2 else ""
            )
            form.add_error(name, messages_)
        else:
            forms[0].add_error(None, messages_)
    return ValidationError(rest) if rest else None


@login_required
def request_visit(request: HttpRequest) -> HttpResponse:
    """The request form, and the visits below it."""
    admin = _require_member(request)
    agency = request.tenant  # type: ignore[attr-defined]  # django-tenants middleware
    tickets = open_tickets(None if admin else request.user.pk)
    form = VisitForm(request.POST or None, tickets=tickets)
    windows = WindowFormSet(request.POST or None, prefix="w")
    status = 200
    if request.method == "POST":
        valid = form.is_valid() & windows.is_valid()
        if valid:
            chosen = [(i, f.window()) for i, f in enumerate(windows.forms) if f.window()]
            data = form.cleaned_data
            try:
                visit = actions.request_visit(
                    agency,
                    cast(User, request.user),
                    actions.NewVisit(
                        ticket_id=data["ticket"].pk,
                        place_kind=data["place_kind"],
                        windows=[w for _i, w in chosen],  # type: ignore[misc]  # only rows with a window
                        street_address=data["street_address"],
                        postal_code=data["postal_code"],
                        city=data["city"],
                        county=data["county"],
                        contact_phone=data["contact_phone"],
                        notes=data["notes"],
                    ),
                )
            except ValidationError as exc:
                rest = _windows_errors(windows, exc, [i for i, _w in chosen])
                if rest is not None:
                    apply_errors(form, rest)
            else:
                messages.success(
                    request,
                    _("Visit #%(id)s is requested. We will confirm a time.") % {"id": visit.pk},
                )
                return redirect("visits:request")
        status = 400
    scope = "agency" if admin and request.GET.get("scope") == "agency" else "mine"
    visits = policies.visits(
        of_request(request), Visit.objects.select_related("ticket").prefetch_related("windows")
    )
    if scope == "mine":
        visits = visits.filter(requester__user_id=request.user.pk)
    page = paginate(request, visits.order_by("-created_at", "-id"))
    return render(
        request,
        "visits/request.html",
        {
            "form": form,
            "windows": windows,
            "page": page,
            "scope": scope,
            "is_admin": admin,
            "query": f"scope={scope}",
            "cancellable": CANCELLABLE,
        },
        status=status,
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    try:
        actions.cancel_visit(
            request.tenant,  # type: ignore[attr-defined]  # django-tenants middleware
            cast(User, request.user),
            pk,
            request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect("visits:request")
