"""The catalogue as the agency sees it: what it may order now, and why not the rest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.paging import paginate
from services.catalogue.selectors import (
    catalogue_offerings,
    not_orderable_reason,
    orderable_filter,
    price_on,
)
from services.ordering.portal.guards import require_admin

SHOW = {
    "orderable": _("Orderable"),
    "other": _("Not orderable"),
    "all": _("All offerings"),
}


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    agency = require_admin(request)
    today = timezone.localdate()
    show = request.GET.get("show", "orderable")
    if show not in SHOW:
        show = "orderable"
    qs = catalogue_offerings().order_by("service__name", "name", "pk")
    can_order = orderable_filter(agency, today)
    if show == "orderable":
        qs = qs.filter(can_order)
    elif show == "other":
        qs = qs.exclude(can_order)
    page = paginate(request, qs)
    rows = [
        {
            "offering": o,
            "price": price_on(o, today),
            "reason": not_orderable_reason(o, agency, today),
        }
        for o in page.object_list
    ]
    return render(
        request,
        "ordering/catalogue.html",
        {
            "agency": agency,
            "page": page,
            "rows": rows,
            "show": show,
            "shows": SHOW.items(),
            "query": f"show={show}",
        },
    )
