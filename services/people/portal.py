"""Portal pages of the people register (agency hosts): the register for the agency's admins
(search, add, edit, deactivate, import, export, anonymise) and "my details" for every member.
Every write goes through services/people/actions.py, imports.py and gdpr.py."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from portal.forms import submit
from portal.paging import paginate
from services.people import actions, gdpr, imports, policies
from services.people.models import Person
from tenants.models import Agency, User
from tenants.viewer import of_request

CONTACT = {
    "email": forms.EmailField(label=_l("E-mail"), required=False),
    "phone": forms.CharField(label=_l("Phone"), required=False, max_length=32),
    "work_street_address": forms.CharField(
        label=_l("Work address"), required=False, max_length=200
    ),
    "work_postal_code": forms.CharField(
        label=_l("Work postal code"), required=False, max_length=10
    ),
    "work_city": forms.CharField(label=_l("Work city"), required=False, max_length=100),
    "street_address": forms.CharField(
        label=_l("Home address"),
        required=False,
        max_length=200,
        help_text=_l("Where a technician comes for a visit at home."),
    ),
    "postal_code": forms.CharField(label=_l("Home postal code"), required=False, max_length=10),
    "city": forms.CharField(label=_l("Home city"), required=False, max_length=100),
}


class ContactForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in CONTACT.items():
            self.fields[name] = field


class PersonForm(ContactForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "name": forms.CharField(label=_l("Name"), max_length=200),
            **self.fields,
            "cost_centre": forms.CharField(label=_l("Cost centre"), required=False, max_length=40),
            "employment_ends_on": forms.DateField(
                label=_l("Employment ends on"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_l("CSV file"),
        help_text=_l(
            "First line: the column names (name, email, phone, street_address, postal_code, "
            "city, work_street_address, work_postal_code, work_city, cost_centre, "
            "employment_ends_on). A line with a known e-mail address updates that person."
        ),
    )


def _agency(request: HttpRequest) -> Agency:
    agency = policies.register_agency(of_request(request))
    if agency is None:
        raise PermissionDenied(_("Only an admin of this agency may open this page."))
    return agency


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _agency(request)
    q = (request.GET.get("q") or "").strip()[:100]
    inactive = request.GET.get("inactive") == "1"
    qs = policies.people(of_request(request), Person.objects.order_by("name", "id"))
    if not inactive:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(cost_centre__icontains=q))
    page = paginate(request, qs)
    return render(request, "people/list.html", {"page": page, "q": q, "inactive": inactive})


@login_required
def add(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        person = submit(
            form,
            lambda data: actions.create_person(
                agency, _actor(request), actions.PersonInput(**data)
            ),
        )
        if person is not None:
            messages.success(request, _("%(name)s is in the register.") % {"name": person.name})
            return redirect("people:edit", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    person = policies.people(of_request(request), Person.objects.filter(pk=pk)).first()
    if person is None:
        raise Http404
    return person


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    person = _person_or_404(request, pk)
    initial = {f: getattr(person, f) for f in actions.FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and person.anonymised_at is None:
        changed = submit(
            form,
            lambda data: actions.update_person(agency, _actor(request), person.pk, **data),
        )
        if changed is not None:
            messages.success(request, _("The changes are saved."))
            return redirect("people:edit", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})


@login_required
@require_POST
def lifecycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate, reactivate or anonymise (the button pressed says which)."""
    agency = _agency(request)
    person = _person_or_404(request, pk)
    step = request.POST.get("step")
    try:
        if step == "anonymise" and not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm that the data is to be erased."))
        elif step == "anonymise":
            gdpr.anonymise_person(agency, _actor(request), person.pk)
            messages.success(request, _("The person's data is erased."))
        else:
            actions.set_active(agency, _actor(request), person.pk, active=step == "reactivate")
            messages.success(request, _("The register is updated."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("people:edit", pk=person.pk)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    person = _person_or_404(request, pk)
    document = gdpr.export_person(agency, _actor(request), person.pk)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        result = submit(
            form,
            lambda data: imports.import_people(agency, _actor(request), data["file"].read()),
        )
        if result is not None:
            messages.success(
                request,
                _("Imported: %(created)s added, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("people:list")
    return render(request, "people/import.html", {"form": form})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Every member: their own contact details."""
    viewer = of_request(request)
    agency = viewer.agency
    if agency is None or not policies.edits_own_details(viewer, agency):
        raise PermissionDenied(_("You have no role in this agency."))
    person = Person.objects.filter(user_id=request.user.pk).first()
    initial = {f: getattr(person, f) for f in CONTACT} if person else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and person is not None:
        done = submit(
            form,
            lambda data: actions.update_own_details(agency, _actor(request), **data),
        )
        if done is not None:
            messages.success(request, _("Your details are saved."))
            return redirect("people:mine")
    return render(request, "people/mine.html", {"form": form, "person": person})
