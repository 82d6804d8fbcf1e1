"""Services and their offerings: lists, details, create and edit, and new price versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_errors, submit
from portal.paging import paginate
from services.catalogue import actions
from services.catalogue.models import Lifecycle, Offering, OfferingPrice, Service
from services.catalogue.portal.access import require_manager
from services.catalogue.portal.forms import (
    PRICE_FIELD_MAP,
    FirstPriceForm,
    OfferingForm,
    PriceForm,
    ServiceForm,
    next_month_start,
    service_initial,
)
from services.catalogue.selectors import catalogue_offerings, price_on
from tenants.models import User


def _status(request: HttpRequest, form: forms.Form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    query = (request.GET.get("q") or "").strip()
    services = Service.objects.annotate(
        offering_count=Count("offerings", distinct=True),
        active_count=Count(
            "offerings", filter=Q(offerings__lifecycle=Lifecycle.ACTIVE), distinct=True
        ),
    ).order_by("name")
    if query:
        services = services.filter(name__icontains=query)
    page = paginate(request, services)
    return render(
        request,
        "catalogue/services.html",
        {
            "page": page,
            "services": list(page.object_list),
            "q": query,
            "query": f"q={query}" if query else "",
        },
    )


def _service_or_404(pk: int) -> Service:
    service = Service.objects.prefetch_related("suppliers").filter(pk=pk).first()
    if service is None:
        raise Http404(_("No such service."))
    return service


def _offering_rows(offerings: Iterable[Offering], today: dt.date) -> list[dict]:
    rows = []
    for o in offerings:
        current = price_on(o, today)
        upcoming = sorted(
            (p for p in o.prices.all() if p.valid_from > today), key=lambda p: p.valid_from
        )
        rows.append({"offering": o, "current": current, "next": upcoming[0] if upcoming else None})
    return rows


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request)
    service = _service_or_404(pk)
    today = timezone.localdate()
    offerings = catalogue_offerings().filter(service=service).order_by("name")
    return render(
        request,
        "catalogue/service.html",
        {"service": service, "rows": _offering_rows(offerings, today), "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = ServiceForm(request.POST or None, initial={"lifecycle": Lifecycle.ACTIVE})
    if request.method == "POST":
        service = submit(
            form, lambda data: actions.create_service(cast(User, request.user), **data)
        )
        if service is not None:
            messages.success(request, _("The service %(name)s was created.") % {"name": service})
            return redirect("catalogue:service", pk=service.pk)
    return render(
        request,
        "catalogue/form.html",
        {"form": form, "title": _("New service"), "back": reverse("catalogue:services")},
        status=_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request)
    service = _service_or_404(pk)
    form = ServiceForm(request.POST or None, initial=service_initial(service))
    if request.method == "POST":
        updated = submit(
            form, lambda data: actions.update_service(cast(User, request.user), service.pk, **data)
        )
        if updated is not None:
            messages.success(request, _("The service was saved."))
            return redirect("catalogue:service", pk=service.pk)
    return render(
        request,
        "catalogue/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": service.name},
            "back": reverse("catalogue:service", args=[service.pk]),
        },
        status=_status(request, form),
    )


def _split_errors(exc: ValidationError) -> tuple[ValidationError | None, ValidationError | None]:
    """The offering's errors and its first price's (keys "price.*")."""
    if not hasattr(exc, "error_dict"):
        return exc, None
    own = {k: v for k, v in exc.error_dict.items() if not k.startswith("price.")}
    price = {k: v for k, v in exc.error_dict.items() if k.startswith("price.")}
    return (ValidationError(own) if own else None, ValidationError(price) if price else None)


@login_required
@require_http_methods(["GET", "POST"])
def offering_new(request: HttpRequest, service_pk: int) -> HttpResponse:
    require_manager(request)
    service = _service_or_404(service_pk)
    data = request.POST or None
    form = OfferingForm(data, initial={"lifecycle": Lifecycle.ACTIVE})
    price_form = FirstPriceForm(data, initial={"valid_from": timezone.localdate()})
    # `&`, not `and`: validate both forms, so both show their errors at once.
    if request.method == "POST" and form.is_valid() & price_form.is_valid():
        try:
            offering = actions.create_offering(
                cast(User, request.user),
                service=service,
                price=price_form.price(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            own, price = _split_errors(exc)
            if own is not None:
                apply_errors(form, own)
            if price is not None:
                apply_errors(price_form, price, PRICE_FIELD_MAP)
        else:
            messages.success(
                request, _("The offering %(name)s was created.") % {"name": offering.name}
            )
            return redirect("catalogue:offering", pk=offering.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/offering_form.html",
        {
            "form": form,
            "price_form": price_form,
            "service": service,
            "title": _("New offering of %(service)s") % {"service": service.name},
        },
        status=status,
    )


def _offering_or_404(pk: int) -> Offering:
    offering = (
        Offering.objects.select_related("service", "agreement", "agreement__supplier")
        .prefetch_related(
            Prefetch("prices", queryset=OfferingPrice.objects.order_by("-valid_from"))
        )
        .filter(pk=pk)
        .first()
    )
    if offering is None:
        raise Http404(_("No such offering."))
    return offering


def _price_rows(offering: Offering, today: dt.date) -> list[dict]:
    """Every price version, newest first: scheduled, current, or history (never edited)."""
    current = price_on(offering, today)
    rows = []
    for p in offering.prices.all():
        if p.valid_from > today:
            status = "scheduled"
        elif current is not None and p.pk == current.pk:
            status = "current"
        else:
            status = "history"
        rows.append({"price": p, "status": status})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offering, its price history, and a form for a new price version."""
    require_manager(request)
    offering = _offering_or_404(pk)
    today = timezone.localdate()
    form = PriceForm(request.POST or None, initial={"valid_from": next_month_start(today)})
    if request.method == "POST":
        price = submit(
            form,
            lambda _data: actions.add_price(
                cast(User, request.user), offering.pk, **form.action_values()
            ),
            PRICE_FIELD_MAP,
        )
        if price is not None:
            messages.success(
                request,
                _("A new price valid from %(day)s was added.")
                % {"day": price.valid_from.isoformat()},
            )
            return redirect("catalogue:offering", pk=offering.pk)
    return render(
        request,
        "catalogue/offering.html",
        {
            "offering": offering,
            "prices": _price_rows(offering, today),
            "form": form,
            "may_price": offering.lifecycle != Lifecycle.RETIRED,
        },
        status=_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request)
    offering = _offering_or_404(pk)
    initial = {field: getattr(offering, field) for field in OfferingForm.base_fields}
    initial["agreement"] = offering.agreement_id
    form = OfferingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        updated = submit(
            form,
            lambda data: actions.update_offering(cast(User, request.user), offering.pk, **data),
        )
        if updated is not None:
            messages.success(request, _("The offering was saved."))
            return redirect("catalogue:offering", pk=offering.pk)
    return render(
        request,
        "catalogue/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": offering.name},
            "back": reverse("catalogue:offering", args=[offering.pk]),
        },
        status=_status(request, form),
    )
