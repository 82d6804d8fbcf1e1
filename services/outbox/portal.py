"""The outbox pages. On the central host (platform admins and the service desk): what waits to
be sent and what failed, per agency, and a button to send the failed ones again; agencies'
figures come from the index in public (counts only: addresses and text stay in the agencies'
schemas), central IT's own failed messages are listed. On an agency host (its admins): the
agency's own messages not sent (to whom, subject, attempts, last error), and a button to send
its failed ones again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.paging import paginate
from services.outbox import actions, policies, selectors
from services.outbox.models import MessageState
from tenants.models import Agency
from tenants.viewer import of_request

FAILED_SHOWN = 20


def require_viewer(request: HttpRequest) -> None:
    if not policies.watches_outbox(of_request(request)):
        raise PermissionDenied(
            _("Only a platform admin or a service-desk agent may open this page.")
        )


@login_required
def status(request: HttpRequest) -> HttpResponse:
    require_viewer(request)
    central = selectors.central_counts()
    return render(
        request,
        "outbox/status.html",
        {
            "agencies": selectors.agency_counts(),
            "central_pending": central[MessageState.PENDING],
            "central_failed": central[MessageState.FAILED],
            "failed": selectors.central_failures(FAILED_SHOWN),
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    require_viewer(request)
    counts = actions.retry_failed(request.user)
    messages.success(
        request,
        _("%(n)s failed message(s) will be sent again within a minute.")
        % {"n": counts["central"] + counts["agency"]},
    )
    return redirect("outbox:status")


def require_agency_admin(request: HttpRequest) -> Agency | None:
    """The host's agency, when the viewer is its admin (agency hosts only)."""
    asker = of_request(request)
    if not policies.is_admin(asker):
        raise PermissionDenied(_("Only an admin of this agency may open its outgoing messages."))
    return asker.agency


@login_required
def agency_status(request: HttpRequest) -> HttpResponse:
    require_agency_admin(request)
    counts = selectors.own_counts()
    return render(
        request,
        "outbox/agency.html",
        {
            "pending": counts[MessageState.PENDING],
            "failed": counts[MessageState.FAILED],
            "page": paginate(request, selectors.own_unsent()),
        },
    )


@login_required
@require_POST
def agency_retry(request: HttpRequest) -> HttpResponse:
    agency = require_agency_admin(request)
    counts = actions.retry_failed(request.user, agency=agency)
    messages.success(
        request,
        _("%(n)s failed message(s) will be sent again within a minute.") % {"n": counts["agency"]},
    )
    return redirect("outbox:agency")
