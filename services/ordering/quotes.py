"""What an order needs, costs and requires, computed before anything is written.

`quote()` is pure reading: prices valid today, the agency's levels, its active subscriptions,
the commitment of the order per calendar year (commitment.py) against each year's budget and
what earlier orders already committed to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, CharField, F, Func, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from services.calendars.holiday_dates import public_holidays
from services.catalogue.models import Offering, OfferingPrice, PriceModel, RelationKind
from services.catalogue.selectors import not_orderable_reason, offerings_with_prices, price_on
from services.ordering.commitment import COMMITMENT_MONTHS, add_years, line_commitment
from services.ordering.errors import OrderErrorCode as Code
from services.ordering.limits import held_quantities, quantity_problem
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


@dataclass(frozen=True)
class YearBudget:
    """One calendar year an order touches: its effect, the budget and what is already taken."""

    year: int
    effect_ore: int
    budget_ore: int | None
    committed_ore: int

    @property
    def remaining_after_ore(self) -> int | None:
        if self.budget_ore is None:
            return None
        return self.budget_ore - self.committed_ore - self.effect_ore

    @property
    def left_before_ore(self) -> int:
        return (self.budget_ore or 0) - self.committed_ore

    @property
    def over_budget(self) -> bool:
        left = self.remaining_after_ore
        return left is not None and left < 0 and self.effect_ore > 0


@dataclass
class Quote:
    kind: str
    lines: list[QuotedLine]
    monthly_ore: int
    one_off_ore: int
    year_effect_ore: int  # effect on this year's budget (budget_year)
    budget_year: int
    budget_ore: int | None
    committed_ore: int
    lead_time_days: int
    delivery_on: dt.date
    needs_approval: bool
    commitment_ore: int = 0
    commitment_months: int = COMMITMENT_MONTHS
    years: list[YearBudget] = field(default_factory=list)
    approval_threshold_ore: int = 0
    delivery_moved: bool = False
    missing_prerequisites: list[Issue] = field(default_factory=list)
    exclusions: list[Issue] = field(default_factory=list)

    @property
    def remaining_after_ore(self) -> int | None:
        if self.budget_ore is None:
            return None
        return self.budget_ore - self.committed_ore - self.year_effect_ore

    @property
    def over_budget_years(self) -> list[YearBudget]:
        return [y for y in self.years if y.over_budget]

    @property
    def over_budget(self) -> bool:
        """Over the budget of any year the commitment touches."""
        return bool(self.over_budget_years)

    @property
    def year_effects(self) -> dict[int, int]:
        return {y.year: y.effect_ore for y in self.years}


def committed_by_year(years: list[int]) -> dict[int, int]:
    """What open and fulfilled orders already take from each of `years`' budgets."""
    if not years:
        return {}
    sums = {f"y{year}": Sum(_effect_on(year)) for year in years}
    totals = Order.objects.exclude(state=OrderState.REJECTED).aggregate(**sums)
    return {year: int(totals[f"y{year}"] or 0) for year in years}


def _effect_on(year: int) -> Cast:
    """An order's effect on `year` from its budget_effects (jsonb_extract_path_text: Django's
    key transform would read a digit key as an array index)."""
    key = Value(str(year), output_field=CharField())
    path = Func(F("budget_effects"), key, function="jsonb_extract_path_text")
    return Cast(path, BigIntegerField())


def committed_ore(year: int) -> int:
    """What this year's open and fulfilled orders already take from the budget."""
    return committed_by_year([year]).get(year, 0)


def approval_threshold(year: int) -> int:
    """The year's threshold when its budget sets one, else the agency's ordering policy's."""
    own = Budget.objects.filter(year=year).values_list("approval_threshold_ore", flat=True)
    found = own.first()
    return found if found is not None else standing_threshold()


def standing_threshold() -> int:
    """The agency's ordering policy's threshold (years whose budget sets none)."""
    policy = OrderingPolicy.objects.filter(pk=1).first()
    return (policy or OrderingPolicy()).approval_threshold_ore


def next_working_day(day: dt.date) -> dt.date:
    """`day`, or the first day after it that is neither a weekend nor a Swedish public holiday
    (services/calendars/holiday_dates.py)."""
    while day.weekday() >= 5 or day in public_holidays("SE", day.year):
        day += dt.timedelta(days=1)
    return day


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
    held = held_quantities(ids) if kind == OrderKind.NEW else {}
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
        problem = quantity_problem(offering, req.quantity, req.subscription, kind, held)
        if problem:
            errors.append(_error(pos, "quantity", problem[0], problem[1]))
            continue
        price = price_on(offering, today)
        lines.append(_priced(pos, offering, cast(OfferingPrice, price), req, kind, today))
    _collect(errors)

    threshold = approval_threshold(today.year)
    commitments = [line_commitment(li.monthly_ore, li.one_off_ore, li.starts_on) for li in lines]
    per_year = add_years([c.per_year for c in commitments])
    commitment = sum(c.total_ore for c in commitments)
    years = _year_budgets(per_year)
    year = today.year
    this_year = next((y for y in years if y.year == year), None) or _year_budgets({year: 0})[0]
    lead = max(line.offering.lead_time_days for line in lines)
    due = today + dt.timedelta(days=lead)
    delivery = next_working_day(due)
    result = Quote(
        kind=kind,
        lines=lines,
        monthly_ore=sum(line.monthly_ore for line in lines),
        one_off_ore=sum(line.one_off_ore for line in lines),
        year_effect_ore=this_year.effect_ore,
        budget_year=year,
        budget_ore=this_year.budget_ore,
        committed_ore=this_year.committed_ore,
        lead_time_days=lead,
        delivery_on=delivery,
        needs_approval=commitment >= threshold,
        commitment_ore=commitment,
        years=years,
        approval_threshold_ore=threshold,
        delivery_moved=delivery != due,
    )
    if kind == OrderKind.NEW:
        _check_relations(result)
    return result


def _year_budgets(per_year: dict[int, int]) -> list[YearBudget]:
    years = sorted(per_year)
    budgets = dict(Budget.objects.filter(year__in=years).values_list("year", "amount_ore"))
    committed = committed_by_year(years)
    return [YearBudget(y, per_year[y], budgets.get(y), committed.get(y, 0)) for y in years]


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
    starts_on = next_working_day(today + dt.timedelta(days=offering.lead_time_days))
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
