"""The outbox page of the central host (platform admins and the service desk): what waits to be
sent and what failed, per agency, and a button to send the failed ones again.

Agencies' figures come from the index in public (counts only: addresses and text stay in the
agencies' schemas); central IT's own failed messages are listed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.portal.nav import is_central_host
from services.audit.actions import record_event
from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.delivery import retry_failed
from services.outbox.models import CentralMessage, MessageState
from tenants import access
from tenants.roles import Role

VIEWERS = (Role.PLATFORM_ADMIN, Role.SERVICE_DESK_AGENT)
FAILED_SHOWN = 20


def require_viewer(request) -> None:
    if not is_central_host(request) or not access.has_central_role(request.user, *VIEWERS):
        raise PermissionDenied(
            _("Only a platform admin or a service-desk agent may open this page.")
        )


def agency_rows() -> list[dict]:
    """Waiting and failed messages per agency, from the index: one query."""
    rows: dict[str, dict] = {}
    counts = (
        IndexEntry.objects.filter(kind=IndexKind.OUTBOX)
        .values("agency__name", "agency__slug", "state")
        .annotate(n=Count("id"))
        .order_by("agency__name")
    )
    for c in counts:
        row = rows.setdefault(
            c["agency__slug"], {"name": c["agency__name"], "pending": 0, "failed": 0}
        )
        row[c["state"]] = row.get(c["state"], 0) + c["n"]
    return list(rows.values())


@login_required
def status(request):
    require_viewer(request)
    central = dict(
        CentralMessage.objects.exclude(state=MessageState.SENT)
        .values_list("state")
        .annotate(n=Count("id"))
    )
    failed = list(
        CentralMessage.objects.filter(state=MessageState.FAILED).order_by("-created_at")[
            :FAILED_SHOWN
        ]
    )
    return render(
        request,
        "outbox/status.html",
        {
            "agencies": agency_rows(),
            "central_pending": central.get(MessageState.PENDING, 0),
            "central_failed": central.get(MessageState.FAILED, 0),
            "failed": failed,
        },
    )


@login_required
@require_POST
def retry(request):
    require_viewer(request)
    with transaction.atomic():
        counts = retry_failed()
        record_event(
            request.user,
            "outbox.retry_failed",
            connection.tenant,
            central=counts["central"],
            agencies=counts["agency"],
        )
    messages.success(
        request,
        _("%(n)s failed message(s) will be sent again within a minute.")
        % {"n": counts["central"] + counts["agency"]},
    )
    return redirect("outbox:status")
