"""What an order needs, costs and requires, computed before anything is written.

`quote()` is pure reading: prices valid today, the agency's levels, its active subscriptions,
its budget and what earlier orders already committed this year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from services.catalogue.models import Offering, OfferingPrice, PriceModel, RelationKind
from services.catalogue.selectors import not_orderable_reason, offerings_with_prices, price_on
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.models import (
    Budget,
    Order,
    OrderingPolicy,
    OrderKind,
    OrderState,
    Subscription,
    SubscriptionState,
)
from tenants.models import Agency


@dataclass(frozen=True)
class LineRequest:
    offering_id: int | None
    quantity: int
    subscription: Subscription | None = None  # for changes and cancellations


@dataclass
class QuotedLine:
    position: int
    offering: Offering
    price: OfferingPrice
    quantity: int
    unit_monthly_ore: int
    unit_one_off_ore: int
    monthly_ore: int  # change of the monthly cost this line causes
    one_off_ore: int
    starts_on: dt.date


@dataclass
class Issue:
    position: int
    offering_code: str
    other_code: str
    message: str


@dataclass
class Quote:
    kind: str
    lines: list[QuotedLine]
    monthly_ore: int
    one_off_ore: int
    year_effect_ore: int
    budget_year: int
    budget_ore: int | None
    committed_ore: int
    lead_time_days: int
    delivery_on: dt.date
    needs_approval: bool
    missing_prerequisites: list[Issue] = field(default_factory=list)
    exclusions: list[Issue] = field(default_factory=list)

    @property
    def remaining_after_ore(self) -> int | None:
        if self.budget_ore is None:
            return None
        return self.budget_ore - self.committed_ore - self.year_effect_ore

    @property
    def over_budget(self) -> bool:
        return (
            self.remaining_after_ore is not None
            and self.remaining_after_ore < 0
            and (self.year_effect_ore > 0)
        )


def months_left(start: dt.date, year: int) -> int:
    """Months billed in `year` for a monthly cost starting on `start` (its month included)."""
    if start.year > year:
        return 0
    if start.year < year:
        return 12
    return 12 - start.month + 1


def committed_ore(year: int) -> int:
    """What this year's open and fulfilled orders already take from the budget."""
    total = (
        Order.objects.filter(budget_year=year)
        .exclude(state=OrderState.REJECTED)
        .aggregate(total=Sum("year_effect_ore"))["total"]
    )
    return int(total or 0)


def _error(position: int, field_name: str, message: str, code: Code) -> ValidationError:
    return ValidationError({f"lines.{position}.{field_name}": ValidationError(message, code=code)})


def _collect(errors: list[ValidationError]) -> None:
    if errors:
        merged: dict[str, list[ValidationError]] = {}
        for err in errors:
            for key, errs in err.error_dict.items():
                merged.setdefault(key, []).extend(errs)
        raise ValidationError(merged)


def quote(
    agency: Agency,
    requests: list[LineRequest],
    kind: str = OrderKind.NEW,
    today: dt.date | None = None,
) -> Quote:
    """Price and check an order. Raises ValidationError naming each bad line and field."""
    today = today or timezone.localdate()
    if not requests:
        raise ValidationError(
            {"lines": ValidationError(_("Add at least one line."), code=Code.REQUIRED)}
        )
    ids = {r.offering_id for r in requests if r.offering_id is not None}
    offerings = {o.pk: o for o in offerings_with_prices().filter(pk__in=ids)}
    errors: list[ValidationError] = []
    lines: list[QuotedLine] = []
    for pos, req in enumerate(requests):
        offering = None if req.offering_id is None else offerings.get(req.offering_id)
        if offering is None:
            errors.append(_error(pos, "offering", _("No such offering."), Code.NOT_FOUND))
            continue
        reason = not_orderable_reason(offering, agency, today)
        if reason and kind != OrderKind.CANCEL:
            errors.append(_error(pos, "offering", reason, Code.NOT_ORDERABLE))
            continue
        if kind != OrderKind.CANCEL and not (
            offering.min_quantity <= req.quantity <= offering.max_quantity
        ):
            errors.append(
                _error(
                    pos,
                    "quantity",
                    _("Quantity must be from %(min)s to %(max)s.")
                    % {"min": offering.min_quantity, "max": offering.max_quantity},
                    Code.QUANTITY_OUT_OF_RANGE,
                )
            )
            continue
        price = price_on(offering, today)
        lines.append(_priced(pos, offering, cast(OfferingPrice, price), req, kind, today))
    _collect(errors)

    policy = OrderingPolicy.objects.filter(pk=1).first()
    threshold = policy.approval_threshold_ore if policy else OrderingPolicy().approval_threshold_ore
    year = today.year
    budget = Budget.objects.filter(year=year).values_list("amount_ore", flat=True).first()
    monthly = sum(line.monthly_ore for line in lines)
    one_off = sum(line.one_off_ore for line in lines)
    effect = sum(line.monthly_ore * months_left(line.starts_on, year) for line in lines) + one_off
    lead = max(line.offering.lead_time_days for line in lines)
    result = Quote(
        kind=kind,
        lines=lines,
        monthly_ore=monthly,
        one_off_ore=one_off,
        year_effect_ore=effect,
        budget_year=year,
        budget_ore=budget,
        committed_ore=committed_ore(year),
        lead_time_days=lead,
        delivery_on=today + dt.timedelta(days=lead),
        needs_approval=effect >= threshold,
    )
    if kind == OrderKind.NEW:
        _check_relations(result)
    return result


def _subscription_of(req: LineRequest) -> Subscription:
    """The subscription a change or cancellation is about (the actions always give it)."""
    if req.subscription is None:
        raise ValueError("a change or cancellation names its subscription")
    return req.subscription


def _priced(
    pos: int,
    offering: Offering,
    price: OfferingPrice,
    req: LineRequest,
    kind: str,
    today: dt.date,
) -> QuotedLine:
    unit_monthly = price.monthly_ore if offering.price_model != PriceModel.ONE_OFF else 0
    unit_one_off = price.one_off_ore
    qty = req.quantity
    starts_on = today + dt.timedelta(days=offering.lead_time_days)
    if kind == OrderKind.NEW:
        monthly, one_off = unit_monthly * qty, unit_one_off * qty
    elif kind == OrderKind.CHANGE:
        sub = _subscription_of(req)
        monthly = unit_monthly * qty - sub.unit_monthly_ore * sub.quantity
        one_off = unit_one_off * max(0, qty - sub.quantity)
    else:  # cancellation: the monthly cost stops after the notice period
        sub = _subscription_of(req)
        unit_monthly, qty = sub.unit_monthly_ore, sub.quantity
        monthly, one_off = -sub.unit_monthly_ore * sub.quantity, 0
        starts_on = today + dt.timedelta(days=offering.notice_days)
    return QuotedLine(
        pos, offering, price, qty, unit_monthly, unit_one_off, monthly, one_off, starts_on
    )


def _check_relations(result: Quote) -> None:
    """Prerequisites met by another line or an active subscription; exclusions both ways."""
    ordered = {line.offering.pk for line in result.lines}
    held = set(
        Subscription.objects.exclude(state=SubscriptionState.ENDED).values_list(
            "offering_id", flat=True
        )
    )
    present = ordered | held
    for line in result.lines:
        for rel in line.offering.relations.all():
            if rel.kind == RelationKind.REQUIRES and rel.other_id not in present:
                result.missing_prerequisites.append(
                    Issue(
                        line.position,
                        line.offering.code,
                        rel.other.code,
                        _("%(offering)s requires %(other)s.")
                        % {"offering": line.offering.name, "other": rel.other.name},
                    )
                )
            if rel.kind == RelationKind.EXCLUDES and rel.other_id in present:
                result.exclusions.append(
                    Issue(
                        line.position,
                        line.offering.code,
                        rel.other.code,
                        _("%(offering)s cannot be combined with %(other)s.")
                        % {"offering": line.offering.name, "other": rel.other.name},
                    )
                )
    # exclusions declared on the other side
    from services.catalogue.models import OfferingRelation

    reverse = OfferingRelation.objects.filter(
        kind=RelationKind.EXCLUDES, other_id__in=ordered, offering_id__in=present
    ).select_related("offering", "other")
    for rel in reverse:
        line = next(li for li in result.lines if li.offering.pk == rel.other_id)
        if not any(
            i.position == line.position and i.other_code == rel.offering.code
            for i in result.exclusions
        ):
            result.exclusions.append(
                Issue(
                    line.position,
                    line.offering.code,
                    rel.offering.code,
                    _("%(offering)s cannot be combined with %(other)s.")
                    % {"offering": line.offering.name, "other": rel.offering.name},
                )
            )


def relation_errors(result: Quote) -> None:
    """Turn a quote's relation issues into the errors placing an order raises."""
    errs = [
        _error(i.position, "offering", i.message, Code.MISSING_PREREQUISITE)
        for i in result.missing_prerequisites
    ]
    errs += [_error(i.position, "offering", i.message, Code.EXCLUDED) for i in result.exclusions]
    _collect(errs)
