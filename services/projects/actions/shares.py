"""A joint project's agreed shares: its cost-allocation key (services/costs/ splits the
project's cost pools by them).

Shares are given as weights (any non-negative numbers with a positive sum) or as percentages
(summing to exactly 100). Both are stored as the weight; the split is weight / sum of weights.
At most 4 decimals. Only member agencies that have not left the federation take part, each at
most once. Setting shares replaces the whole list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.projects.actions.checks import (
    locked_project,
    pk_of,
    refuse_if_final,
    require_project_writer,
)
from services.projects.errors import ProjectErrorCode as Code
from services.projects.models import Project, ProjectShare, ShareBasis
from services.validation import Errors
from tenants.models import Agency, AgencyKind, AgencyState, User

MAX_WEIGHT = Decimal("99999999.9999")  # the column holds 12 digits, 4 of them decimals
WEIGHT_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


def _share_value(errors: Errors, field: str, value: object, basis: str) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    if not number.is_finite():
        errors.add(field, _("Give the share as an exact decimal number."), Code.INVALID)
        return None
    if number < 0:
        errors.add(field, _("A share cannot be negative."), Code.OUT_OF_RANGE)
        return None
    high = HUNDRED if basis == ShareBasis.PERCENT else MAX_WEIGHT
    if number > high:  # before quantizing: a huge number cannot be quantized
        errors.add(field, _("At most %(high)s.") % {"high": high}, Code.OUT_OF_RANGE)
        return None
    if number != number.quantize(WEIGHT_PLACES, rounding="ROUND_DOWN"):
        errors.add(field, _("At most 4 decimals."), Code.INVALID)
        return None
    return number.quantize(WEIGHT_PLACES)


def _check_agency(
    errors: Errors, field: str, agency: Agency | None, weights: Mapping[int, Decimal]
) -> None:
    if agency is None:
        errors.add(field, _("No such agency."), Code.NOT_FOUND)
    elif agency.kind != AgencyKind.AGENCY:
        errors.add(
            field,
            _("Only member agencies take part in joint projects (not %(name)s).")
            % {"name": agency.name},
            Code.NOT_MEMBER_AGENCY,
        )
    elif agency.state == AgencyState.OFFBOARDED:
        errors.add(
            field,
            _("%(name)s has left the federation.") % {"name": agency.name},
            Code.NOT_MEMBER_AGENCY,
        )
    elif agency.pk in weights:
        errors.add(
            field,
            _("%(name)s is named more than once.") % {"name": agency.name},
            Code.DUPLICATE,
        )


def _clean_shares(rows: Iterable[object] | None, basis: object) -> tuple[str, dict[int, Decimal]]:
    errors = Errors()
    basis = getattr(basis, "value", basis)
    if basis not in ShareBasis.values:
        errors.add(
            "basis",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(ShareBasis.values)},
            Code.INVALID,
        )
    given = list(rows or [])
    if not given:
        errors.add("shares", _("Name at least one participating agency."), Code.REQUIRED)
    pks = [pk_of(row.get("agency")) if isinstance(row, Mapping) else None for row in given]
    wanted = {pk for pk in pks if isinstance(pk, int) and not isinstance(pk, bool)}
    agencies = Agency.objects.in_bulk(wanted) if wanted else {}
    weights: dict[int, Decimal] = {}
    for index, (row, pk) in enumerate(zip(given, pks, strict=True)):
        prefix = f"shares.{index}."
        if not isinstance(row, Mapping):
            errors.add(f"shares.{index}", _("Give an agency and its share."), Code.INVALID)
            continue
        agency = agencies.get(pk) if isinstance(pk, int) else None
        _check_agency(errors, prefix + "agency", agency, weights)
        value = _share_value(errors, prefix + "share", row.get("share"), str(basis))
        if agency is not None and value is not None and agency.pk not in weights:
            weights[agency.pk] = value
    if not errors.items:
        total = sum(weights.values(), Decimal(0))
        if basis == ShareBasis.PERCENT and total != HUNDRED:
            errors.add(
                "shares",
                _("Percentages must sum to exactly 100; these sum to %(total)s.")
                % {"total": total.normalize()},
                Code.SHARES_NOT_100,
            )
        elif total <= 0:
            errors.add(
                "shares", _("At least one share must be above zero."), Code.NO_POSITIVE_SHARE
            )
    errors.raise_if_any()
    return str(basis), weights


def _share_map(weights: Mapping[int, Decimal]) -> dict[str, str]:
    return {str(agency_id): str(weight) for agency_id, weight in sorted(weights.items())}


def set_shares(
    actor: User | None,
    project: Project | int,
    shares: Iterable[object] | None,
    *,
    basis: str = ShareBasis.WEIGHT,
) -> list[ProjectShare]:
    """Replace a project's shares. `shares`: rows `{"agency": Agency or pk, "share": Decimal}`
    (a Decimal, int or decimal string; no floats). `basis`: weights or percentages."""
    require_project_writer(actor)
    with transaction.atomic():
        found = locked_project(project)
        refuse_if_final(found, "project")
        basis, weights = _clean_shares(shares, basis)
        existing = {s.agency_id: s for s in found.shares.select_for_update()}
        before = {agency_id: s.weight for agency_id, s in existing.items()}
        gone = [s.pk for agency_id, s in existing.items() if agency_id not in weights]
        if gone:
            ProjectShare.objects.filter(pk__in=gone).delete()
        changed = []
        for agency_id, weight in weights.items():
            share = existing.get(agency_id)
            if share is None:
                ProjectShare.objects.create(project=found, agency_id=agency_id, weight=weight)
            elif share.weight != weight:
                share.weight = weight
                changed.append(share)
        if changed:
            ProjectShare.objects.bulk_update(changed, ["weight"])
        diff: dict[str, Any] = {}
        if _share_map(before) != _share_map(weights):
            diff["shares"] = [_share_map(before), _share_map(weights)]
        if found.share_basis != basis:
            diff["share_basis"] = [found.share_basis, basis]
            found.share_basis = basis
            found.save(update_fields=["share_basis"])
        if diff:
            record_event(actor, "projects.shares.set", found, **diff)
        return list(found.shares.order_by("agency_id"))
