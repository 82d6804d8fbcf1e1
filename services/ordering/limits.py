"""Quantity rules of an order line: the offering's range, its maximum per agency (what the
agency holds and has ordered counts), and a change that changes nothing."""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum
from django.utils.translation import gettext as _

from services.catalogue.models import Offering
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.models import (
    OPEN_STATES,
    LineState,
    OrderKind,
    OrderLine,
    Subscription,
    SubscriptionState,
)


def held_quantities(offering_ids: set[int]) -> dict[int, int]:
    """Per offering: what the agency holds (subscriptions not ended) plus what its open new
    orders ask for. An offering's maximum quantity is per agency, not per order."""
    held: Counter[int] = Counter()
    subs = (
        Subscription.objects.filter(offering_id__in=offering_ids)
        .exclude(state=SubscriptionState.ENDED)
        .values("offering_id")
        .annotate(n=Sum("quantity"))
    )
    held.update({row["offering_id"]: int(row["n"]) for row in subs})
    pending = (
        OrderLine.objects.filter(
            offering_id__in=offering_ids,
            order__kind=OrderKind.NEW,
            order__state__in=OPEN_STATES,
            state=LineState.PENDING,
        )
        .values("offering_id")
        .annotate(n=Sum("quantity"))
    )
    held.update({row["offering_id"]: int(row["n"]) for row in pending})
    return dict(held)


def quantity_problem(
    offering: Offering,
    quantity: int,
    subscription: Subscription | None,
    kind: str,
    held: dict[int, int],
) -> tuple[str, Code] | None:
    """Why a line's quantity is refused, or None. `held` is updated with a new line's quantity
    so that two lines of one order count together."""
    if kind == OrderKind.CANCEL:
        return None
    low, high = offering.min_quantity, offering.max_quantity
    if not low <= quantity <= high:
        return (
            _("Quantity must be from %(min)s to %(max)s.") % {"min": low, "max": high},
            Code.QUANTITY_OUT_OF_RANGE,
        )
    if kind == OrderKind.CHANGE:
        if subscription is not None and quantity == subscription.quantity:
            return (
                _("The subscription already has %(n)s; give a different quantity.")
                % {"n": quantity},
                Code.UNCHANGED,
            )
        return None
    already = held.get(offering.pk, 0)
    if already + quantity > high:
        if high == 1:
            message = _(
                "The agency already has this offering or has ordered it, and it is limited to "
                "one per agency. Change the existing subscription instead."
            )
        else:
            message = _(
                "The agency already has or has ordered %(held)s, and the offering is limited to "
                "%(max)s per agency: at most %(left)s more."
            ) % {"held": already, "max": high, "left": max(0, high - already)}
        return message, Code.LIMIT_PER_AGENCY
    held[offering.pk] = already + quantity
    return None
