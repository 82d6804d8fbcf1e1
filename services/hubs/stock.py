"""Counting a hub's stock of loaner and replacement devices."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from services.hubs.models import Hub, StockKind, StockState


def count_field(kind: str, state: str) -> str:
    return f"stock_{kind}_{state}"


def with_stock_counts(hubs: QuerySet) -> QuerySet:
    """Hubs annotated with the number of stock items per kind and state (one query)."""
    annotations = {
        count_field(kind, state): Count("stock", filter=Q(stock__kind=kind, stock__state=state))
        for kind in StockKind.values
        for state in StockState.values
    }
    return hubs.annotate(**annotations)


def counts_of(hub: Hub) -> list[tuple[str, str, int]]:
    """(kind, state, count) of an annotated hub."""
    return [
        (kind, state, getattr(hub, count_field(kind, state), 0))
        for kind in StockKind.values
        for state in StockState.values
    ]
