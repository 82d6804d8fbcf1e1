"""What the outbox holds. For central IT's page and `manage.py outbox`: counts only for the
agencies (from the index in public), central IT's own failed messages listed. For an agency
admin's page: the agency's own messages, read in its schema (the caller's)."""

from __future__ import annotations

from django.db.models import Case, Count, QuerySet, When

from services.crossindex.models import IndexEntry, IndexKind
from services.outbox.models import CentralMessage, MessageState, OutboundBase
from services.outbox.queue import message_model


def central_counts() -> dict[str, int]:
    """Central IT's messages waiting and failed: one query."""
    counts = dict(
        CentralMessage.objects.exclude(state=MessageState.SENT)
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return {state: counts.get(state, 0) for state in (MessageState.PENDING, MessageState.FAILED)}


def agency_counts() -> list[dict]:
    """Per agency with anything waiting or failed: id, name, slug, pending, failed. One query."""
    rows: dict[str, dict] = {}
    counts = (
        IndexEntry.objects.filter(kind=IndexKind.OUTBOX)
        .values("agency_id", "agency__name", "agency__slug", "state")
        .annotate(n=Count("id"))
        .order_by("agency__name", "agency__slug")
    )
    for c in counts:
        row = rows.setdefault(
            c["agency__slug"],
            {
                "id": c["agency_id"],
                "name": c["agency__name"],
                "slug": c["agency__slug"],
                "pending": 0,
                "failed": 0,
            },
        )
        row[c["state"]] = row.get(c["state"], 0) + c["n"]
    return list(rows.values())


def central_failures(limit: int = 20) -> list[CentralMessage]:
    return list(
        CentralMessage.objects.filter(state=MessageState.FAILED).order_by("-created_at")[:limit]
    )


def own_counts() -> dict[str, int]:
    """The current agency's messages waiting and failed (its schema): one query."""
    counts = dict(
        message_model()
        .objects.exclude(state=MessageState.SENT)
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return {state: counts.get(state, 0) for state in (MessageState.PENDING, MessageState.FAILED)}


def own_unsent() -> QuerySet[OutboundBase]:
    """The current agency's messages not sent, failed first, newest first (a queryset to page;
    the body is left out: the page shows who, what and why)."""
    return (
        message_model()
        .objects.exclude(state=MessageState.SENT)
        .defer("body", "headers")
        .order_by(Case(When(state=MessageState.FAILED, then=0), default=1), "-created_at", "-id")
    )
