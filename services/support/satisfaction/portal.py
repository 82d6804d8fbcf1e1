"""Satisfaction pages on an agency's host: the rating form on a resolved ticket's page (its
requester; the form is drawn by `{% rating_form ticket %}`), and the page a signed rating link
of the resolution mail opens. Opening a link records nothing (mail scanners open links too):
the page shows the chosen score, and one click sends it, with a comment if wanted."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from services.support import policies as support_policies
from services.support.models import Ticket
from services.support.satisfaction import actions, links
from services.support.satisfaction.models import Rating, Score
from tenants.models import Agency, User
from tenants.viewer import host_agency_of, of_request


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's rating, posted from the ticket's page."""
    viewer = of_request(request)
    if not support_policies.is_member(viewer):
        raise PermissionDenied(_("You have no role in this agency."))
    agency = cast(Agency, viewer.agency)
    with tenant_context(agency):
        visible = support_policies.tickets(viewer, Ticket.objects.all()).filter(pk=pk).exists()
    if not visible:
        raise Http404
    try:
        actions.rate(
            agency,
            cast(User, request.user),
            pk,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("support:detail", pk=pk)


def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page of a signed rating link (no sign-in needed). A link that is forged, expired,
    of another agency, ticket or resolution answers as a missing page."""
    agency = host_agency_of(request)
    claim = links.read_token(token)
    if agency is None or claim is None or claim.agency_id != agency.pk:
        raise Http404
    with tenant_context(agency):
        ticket = Ticket.objects.filter(pk=claim.ticket_id).first()
        if ticket is None or not links.matches(claim, agency, ticket):
            raise Http404
        rating = Rating.objects.filter(ticket=ticket).first()
    chosen = request.GET.get("score", "")
    error = ""
    if request.method == "POST":
        try:
            actions.rate_by_link(
                agency,
                token,
                score=request.POST.get("score"),
                comment=request.POST.get("comment", ""),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            error = _error_text(exc)
            chosen = request.POST.get("score", "")
        else:
            return render(request, "satisfaction/thanks.html", {"ticket": ticket})
    return render(
        request,
        "satisfaction/rate.html",
        {
            "ticket": ticket,
            "rating": rating,
            "chosen": chosen,
            "scores": sorted(Score, reverse=True),
            "error": error,
        },
        status=400 if error else 200,
    )
