"""Where ordering meets the shared licence pools.

An order for a licence offering draws its seats when it is placed (the agency's quota first,
then the shared reserve, then the allowed true-up), so pending orders can never oversell a
pool; a rejected line gives its seats back, and a cancellation or a lower quantity gives
seats back when central IT fulfils it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from services.licences import pool_accounting as seats
from services.licences.models import LicencePool
from services.ordering.models import Order, OrderKind, OrderLine, Subscription
from services.ordering.quotes import Quote
from tenants.models import Agency


def _pools(offering_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        LicencePool.objects.filter(offering_id__in=offering_ids).values_list("offering_id", "pk")
    )


def draw_for_lines(
    agency: Agency, quote: Quote, kind: str, subscription: Subscription | None = None
) -> dict[int, int]:
    """Draw seats for every licence line of a quote. Returns seats drawn per position."""
    pools = _pools([line.offering.pk for line in quote.lines])
    drawn = {}
    for line in quote.lines:
        pool_id = pools.get(line.offering.pk)
        if pool_id is None:
            continue
        wanted = line.quantity
        if kind == OrderKind.CHANGE:
            wanted = max(0, line.quantity - cast(Subscription, subscription).quantity)
        elif kind == OrderKind.CANCEL:
            wanted = 0
        drawn[line.position] = seats.draw(
            pool_id, agency, wanted, field=f"lines.{line.position}.quantity"
        )
    return drawn


def give_back(agency: Agency, line: OrderLine) -> None:
    """A rejected line returns what it drew."""
    if line.seats_drawn:
        pool_id = _pools([line.offering_id]).get(line.offering_id)
        if pool_id is not None:
            seats.release(pool_id, agency, line.seats_drawn)


def settle_fulfilment(
    agency: Agency, order: Order, line: OrderLine, subscription: Subscription
) -> None:
    """A fulfilled cancellation or reduction returns the seats no longer subscribed."""
    pool_id = _pools([line.offering_id]).get(line.offering_id)
    if pool_id is None:
        return
    if order.kind == OrderKind.CANCEL:
        seats.release(pool_id, agency, subscription.quantity, field="subscription")
    elif order.kind == OrderKind.CHANGE and line.quantity < subscription.quantity:
        seats.release(pool_id, agency, subscription.quantity - line.quantity, field="quantity")
