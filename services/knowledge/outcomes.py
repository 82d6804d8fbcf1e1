"""Did a suggestion end the matter? Recording outcomes, and the self-help report.

Counting rule. Suggestions are re-computed as a person types (or chats), so a row per display
would count keystrokes, not people. Instead the client records ONE outcome when the person
acts on a set of suggestions:

- `resolved`: an article answered the question and the person left without a ticket
  (an article is required: the one that helped);
- `ticket_opened`: the person went on to open a ticket (or, in chat, to wait for an agent);
- `not_helpful`: the person dismissed the suggestions.

"Suggestions shown" in the report is the number of these rows: suggestion sessions that
ended in an action. Sessions the person abandons without acting are not counted (we cannot
tell whether they were helped). The rate is `resolved / shown`, exact (Decimal, 3 places)
and in per mille. Rows hold ids, a kind, a channel, an outcome and a time: no person, no text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services import validation
from services.catalogue.models import Service
from services.knowledge import policies
from services.knowledge.agency.interface import AgencyArticle
from services.knowledge.errors import KnowledgeErrorCode as Code
from services.knowledge.models import (
    Article,
    ArticleKind,
    Outcome,
    SuggestionChannel,
    SuggestionOutcome,
)
from tenants.access import Identity
from tenants.models import Agency
from tenants.viewer import Viewer


def record_outcome(
    agency: Agency,
    actor: Identity,
    *,
    outcome: str,
    channel: str = SuggestionChannel.WEB,
    article_kind: str | None = None,
    article_id: int | None = None,
    service_id: int | None = None,
) -> SuggestionOutcome:
    """Any member of `agency` records what they did after suggestions. The service is the
    article's when an article is named, else `service_id` (or none)."""
    if not policies.records_outcomes(Viewer.of(actor, agency)):
        raise PermissionDenied(_("You have no role in this agency."))
    errors: dict = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [ValidationError(_("Unknown outcome."), code=Code.INVALID)]
    if channel not in SuggestionChannel.values:
        errors["channel"] = [ValidationError(_("Unknown channel."), code=Code.INVALID)]
    if article_id is None and outcome == Outcome.RESOLVED:
        errors["article"] = [
            ValidationError(_("Name the article that answered it."), code=Code.REQUIRED)
        ]
    if article_id is not None:
        found = _article_service(agency, article_kind, article_id)
        if found is None:
            errors["article"] = [ValidationError(_("No such article."), code=Code.NOT_FOUND)]
        else:
            service_id = found
    elif service_id is not None and not Service.objects.filter(pk=service_id).exists():
        errors["service"] = [ValidationError(_("No such service."), code=Code.NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    return SuggestionOutcome.objects.create(
        agency=agency,
        service_id=service_id,
        article_kind=(article_kind or "") if article_id is not None else "",
        article_id=article_id,
        channel=channel,
        outcome=outcome,
    )


def _article_service(agency: Agency, kind: str | None, pk: int) -> int | None:
    """The service of a published article the agency's members can see, or None."""
    if kind == ArticleKind.SHARED:
        shared = Article.objects.filter(pk=pk, published=True)
        return shared.values_list("service_id", flat=True).first()
    if kind == ArticleKind.AGENCY:
        with tenant_context(agency):
            own = AgencyArticle.objects.filter(pk=pk, published=True)
            return own.values_list("service_id", flat=True).first()
    return None


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    month: dt.date  # the first day of the month
    service_id: int | None
    service_name: str | None
    shown: int
    resolved: int
    ticket_opened: int
    not_helpful: int

    @property
    def resolved_rate(self) -> Decimal:
        """Resolved without a ticket / shown, 3 places, rounded half up."""
        if not self.shown:
            return Decimal("0.000")
        return (Decimal(self.resolved) / Decimal(self.shown)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    @property
    def resolved_permille(self) -> int:
        return int(self.resolved_rate * 1000)


def parse_month(value: str | None, field: str = "month") -> tuple[dt.datetime, dt.datetime]:
    """ "2026-11" -> the month's start and the next month's start, in local time."""
    first = validation.parse_month(value, codes=Code, field=field)
    start = dt.datetime(first.year, first.month, 1)
    end = dt.datetime(first.year + first.month // 12, first.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def may_read_report(actor: Identity, agency: Agency | None = None) -> bool:
    """Central IT (editors, finance) for every agency; an agency's admins for their own."""
    return policies.reads_self_help_report(Viewer.of(actor, agency))


def self_help_report(
    actor: Identity, *, agency: Agency | None = None, month: str | None = None
) -> list[ReportRow]:
    """Per month and service: suggestion sessions, how they ended, and the rate resolved
    without a ticket. `agency=None` is every agency (central IT only). One query."""
    if not may_read_report(actor, agency):
        raise PermissionDenied(_("The self-help report is for central IT and agency admins."))
    qs = SuggestionOutcome.objects.all()
    if month is not None:
        start, end = parse_month(month)
        qs = qs.filter(at__gte=start, at__lt=end)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows = (
        qs.annotate(month=TruncMonth("at"))
        .values("month", "service_id", "service__name")
        .annotate(
            shown=Count("id"),
            resolved=Count("id", filter=Q(outcome=Outcome.RESOLVED)),
            ticket_opened=Count("id", filter=Q(outcome=Outcome.TICKET_OPENED)),
            not_helpful=Count("id", filter=Q(outcome=Outcome.NOT_HELPFUL)),
        )
        .order_by("month", "service__name", "service_id")
    )
    return [
        ReportRow(
            month=timezone.localtime(r["month"]).date(),
            service_id=r["service_id"],
            service_name=r["service__name"],
            shown=r["shown"],
            resolved=r["resolved"],
            ticket_opened=r["ticket_opened"],
            not_helpful=r["not_helpful"],
        )
        for r in rows
    ]
