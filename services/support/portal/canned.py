"""Canned answers on the central host: the service desk writes, changes and deletes the text
modules agents insert into replies (services/support/desk)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms import submit
from services.support.desk import actions as desk
from services.support.desk import policies
from services.support.desk.models import CannedAnswer
from services.support.portal.forms import CannedAnswerForm
from tenants.models import User
from tenants.viewer import of_request


def _require_keeper(request: HttpRequest) -> None:
    if not policies.keeps_canned_answers(of_request(request)):
        raise PermissionDenied(_("This page is for central IT's service desk."))


@login_required
def canned_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Every canned answer, and the form for a new one (or the one `pk`, to change it)."""
    _require_keeper(request)
    rows = policies.canned_answers(of_request(request), CannedAnswer.objects.all())
    row = None
    if pk is not None:
        row = rows.filter(pk=pk).first()
        if row is None:
            raise Http404
    initial = {"name": row.name, "language": row.language, "body": row.body} if row else None
    form = CannedAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def act(data: dict[str, Any]) -> CannedAnswer:
            return desk.save_canned_answer(
                cast(User, request.user),
                name=data["name"],
                language=data["language"],
                body=data["body"],
                pk=row.pk if row else None,
            )

        if submit(form, act) is not None:
            messages.success(request, _("The canned answer is saved."))
            return redirect("support:canned")
    return render(request, "support/canned.html", {"answers": list(rows), "form": form, "row": row})


@login_required
@require_POST
def canned_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_keeper(request)
    try:
        desk.delete_canned_answer(cast(User, request.user), pk)
    except ValidationError as exc:
        raise Http404 from exc
    messages.success(request, _("The canned answer is deleted."))
    return redirect("support:canned")
