"""Agreements (OLA and SLA) and their response and resolution targets per priority."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import submit
from portal.paging import paginate
from services.catalogue import actions
from services.catalogue.models import Agreement
from services.catalogue.portal.access import require_manager
from services.catalogue.portal.forms import AgreementForm, agreement_field_map
from tenants.models import User


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    agreements = (
        Agreement.objects.select_related("supplier").prefetch_related("targets").order_by("name")
    )
    page = paginate(request, agreements)
    return render(
        request,
        "catalogue/agreements.html",
        {"page": page, "agreements": list(page.object_list)},
    )


def _form_page(
    request: HttpRequest, form: AgreementForm, title: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "catalogue/agreement_form.html",
        {"form": form, "title": title},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        agreement = submit(
            form,
            lambda _data: actions.create_agreement(
                cast(User, request.user), **form.action_values()
            ),
            agreement_field_map(),
        )
        if agreement is not None:
            messages.success(
                request, _("The agreement %(name)s was created.") % {"name": agreement}
            )
            return redirect("catalogue:agreements")
        return _form_page(request, form, _("New agreement"), 400)
    return _form_page(request, form, _("New agreement"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request)
    agreement = Agreement.objects.prefetch_related("targets").filter(pk=pk).first()
    if agreement is None:
        raise Http404(_("No such agreement."))
    form = AgreementForm(request.POST or None, initial=AgreementForm.initial_of(agreement))
    title = _("Edit %(name)s") % {"name": agreement.name}
    if request.method == "POST":
        updated = submit(
            form,
            lambda _data: actions.update_agreement(
                cast(User, request.user), agreement.pk, **form.action_values()
            ),
            agreement_field_map(),
        )
        if updated is not None:
            messages.success(request, _("The agreement was saved."))
            return redirect("catalogue:agreements")
        return _form_page(request, form, title, 400)
    return _form_page(request, form, title)
