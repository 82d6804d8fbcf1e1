"""Writing the service desk's tools: canned answers (by the desk) and saved views (each agent
their own). Every page and the admin write through here."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.support.desk import policies
from services.support.desk.errors import DeskErrorCode as Code
from services.support.desk.models import CannedAnswer, Language, SavedView
from services.validation import Errors, field_error, text
from tenants.models import User
from tenants.viewer import Viewer

# The queue's filters a saved view may hold (services/support/portal/forms.py, DeskFilterForm).
VIEW_KEYS = ("agency", "agreement", "priority", "mine", "unassigned", "breached")
PLACEHOLDERS = ("requester_name", "ticket_number", "agent_name", "subject")


def save_canned_answer(
    actor: User, *, name: str, language: str, body: str, pk: int | None = None
) -> CannedAnswer:
    """Create a canned answer, or change the one `pk`."""
    if not policies.keeps_canned_answers(Viewer.of(actor)):
        raise PermissionDenied(_("Only the service desk keeps canned answers."))
    errors = Errors()
    name = text(errors, "name", name, codes=Code, max_length=100)
    body = text(errors, "body", body, codes=Code, max_length=5000)
    if language not in Language.values:
        errors.add("language", _("Choose Swedish or English."), Code.INVALID)
    errors.raise_if_any()
    with transaction.atomic():
        row = CannedAnswer() if pk is None else CannedAnswer.objects.filter(pk=pk).first()
        if row is None:
            raise field_error("answer", _("No such canned answer."), Code.NOT_FOUND)
        twin = CannedAnswer.objects.filter(name=name, language=language).exclude(pk=row.pk)
        if twin.exists():
            raise field_error(
                "name", _("A canned answer of that name and language exists."), Code.DUPLICATE
            )
        row.name, row.language, row.body = name, language, body
        row.updated_by, row.updated_at = actor, timezone.now()
        row.save()
        record_event(actor, "support.canned_answer.save", row, name=name, language=language)
    return row


def delete_canned_answer(actor: User, pk: int) -> None:
    if not policies.keeps_canned_answers(Viewer.of(actor)):
        raise PermissionDenied(_("Only the service desk keeps canned answers."))
    with transaction.atomic():
        row = CannedAnswer.objects.filter(pk=pk).first()
        if row is None:
            raise field_error("answer", _("No such canned answer."), Code.NOT_FOUND)
        record_event(actor, "support.canned_answer.delete", row, name=row.name)
        row.delete()


def fill(body: str, values: dict[str, str]) -> str:
    """The canned answer's text with its known placeholders filled; anything else in braces is
    left as written (no format string is evaluated)."""
    for key in PLACEHOLDERS:
        body = body.replace("{" + key + "}", values.get(key, ""))
    return body


def clean_query(query: str) -> str:
    """The query string with only the queue's filters, in a fixed order, empty values left out."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?")) if k in VIEW_KEYS and v.strip()]
    pairs.sort(key=lambda kv: VIEW_KEYS.index(kv[0]))
    return urlencode(pairs)


def save_view(actor: User, *, name: str, query: str) -> SavedView:
    """Save the agent's current filter under `name` (replacing their view of that name)."""
    if not policies.saves_views(Viewer.of(actor)):
        raise PermissionDenied(_("Only central IT's agents save queue views."))
    errors = Errors()
    name = text(errors, "name", name, codes=Code, max_length=60)
    cleaned = clean_query(query or "")
    if not cleaned:
        errors.add("query", _("Choose at least one filter to save."), Code.REQUIRED)
    elif len(cleaned) > 500:
        errors.add("query", _("At most %(n)s characters.") % {"n": 500}, Code.TOO_LONG)
    errors.raise_if_any()
    with transaction.atomic():
        view, _created = SavedView.objects.update_or_create(
            owner=actor, name=name, defaults={"query": cleaned}
        )
    return view


def delete_view(actor: User, pk: int) -> None:
    rows = policies.saved_views(Viewer.of(actor), SavedView.objects.filter(pk=pk))
    if not rows.delete()[0]:
        raise field_error("view", _("No such saved view."), Code.NOT_FOUND)
