"""Held mail on the central host (services/support/channels/held_mail.py): the mail whose
sender the gateway could not confirm, for an agent to release (file it) or discard."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.paging import paginate
from services.support.channels import held_mail
from services.support.inbound.models import HeldMail, HeldState
from services.support.portal.access import require_agent
from tenants.models import User


@login_required
def held_list(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    qs = HeldMail.objects.filter(state=HeldState.HELD).defer("raw").order_by("-received_at", "-id")
    decided = (
        HeldMail.objects.exclude(state=HeldState.HELD)
        .defer("raw")
        .select_related("decided_by")
        .order_by("-decided_at", "-id")[:20]
    )
    return render(
        request, "support/held.html", {"page": paginate(request, qs), "decided": list(decided)}
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_agent(request)
    actor = cast(User, request.user)
    try:
        if request.POST.get("decision") == "release":
            outcome = held_mail.release(actor, pk)
            messages.success(
                request,
                _("The mail is filed: %(ticket)s.") % {"ticket": outcome.reference or "–"},
            )
        else:
            held_mail.discard(actor, pk)
            messages.success(request, _("The mail is discarded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:held")
