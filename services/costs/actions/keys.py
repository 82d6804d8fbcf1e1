"""Allocation keys (finance): a key, and its versions from a month on (even, fixed weights, a
driver or a direct charge). Versions are never edited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.costs.actions.periods import first_of_month
from services.costs.errors import CostErrorCode as Code
from services.costs.models import (
    SPLIT_DRIVERS,
    AllocationKey,
    KeyVersion,
    KeyWeight,
    Method,
    Period,
    PeriodState,
)
from services.costs.policies import require_finance
from services.validation import clean_text, field_error, require_sensible_date
from tenants.models import Agency, User


@transaction.atomic
def create_key(actor: User | None, name: str, description: str = "") -> AllocationKey:
    require_finance(actor)
    name = clean_text("name", name)
    if not name:
        raise field_error("name", _("Give the key a name."), Code.REQUIRED)
    if AllocationKey.objects.filter(name=name).exists():
        raise field_error("name", _("A key with this name exists."), Code.DUPLICATE)
    description = clean_text("description", description)
    key = AllocationKey.objects.create(name=name, description=description)
    record_event(actor, "costs.key.created", key)
    return key


@dataclass
class VersionInput:
    valid_from: dt.date
    method: str
    driver_kind: str = ""
    only_subscribers: bool = False
    excluded_agency_ids: list[int] = field(default_factory=list)
    # (agency id, weight): a Decimal, or an int or text a Decimal is read from
    weights: Sequence[tuple[int, object]] = field(default_factory=list)


def _members(ids: Iterable[int]) -> set[int]:
    return set(Agency.objects.members().filter(pk__in=list(ids)).values_list("pk", flat=True))


def _check_weights(weights: Sequence[tuple[int, object]]) -> list[tuple[int, Decimal]]:
    if not weights:
        raise field_error("weights", _("Fixed weights need at least one agency."), Code.REQUIRED)
    out = []
    for i, (agency_id, raw) in enumerate(weights):
        try:
            weight = Decimal(str(raw))
        except (InvalidOperation, ValueError) as exc:
            raise field_error(f"weights.{i}.weight", _("Not a number."), Code.INVALID) from exc
        if not weight.is_finite() or weight < 0:
            raise field_error(
                f"weights.{i}.weight", _("A weight must not be negative."), Code.NEGATIVE
            )
        if weight != weight.quantize(Decimal("0.0001")) or weight >= Decimal(10) ** 10:
            raise field_error(
                f"weights.{i}.weight",
                _("At most 10 digits before and 4 after the decimal point."),
                Code.INVALID,
            )
        out.append((agency_id, weight))
    ids = [a for a, _w in out]
    if len(set(ids)) != len(ids):
        raise field_error("weights", _("An agency is listed twice."), Code.DUPLICATE)
    unknown = set(ids) - _members(ids)
    if unknown:
        raise field_error("weights", _("Unknown agency in the weights."), Code.UNKNOWN_AGENCY)
    if all(w == 0 for _a, w in out):
        raise field_error("weights", _("The weights are all zero."), Code.WEIGHTS_ZERO)
    return out


def _check_version(data: VersionInput) -> list[tuple[int, Decimal]]:
    if data.method not in Method.values:
        raise field_error("method", _("Choose a method."), Code.INVALID)
    if data.method == Method.DRIVER:
        if not data.driver_kind:
            raise field_error("driverKind", _("Choose the driver."), Code.REQUIRED)
        if data.driver_kind not in SPLIT_DRIVERS:
            raise field_error("driverKind", _("Not a driver to split by."), Code.INVALID)
    elif data.driver_kind:
        raise field_error("driverKind", _("Only the driver method takes a driver."), Code.INVALID)
    weights = _check_weights(data.weights) if data.method == Method.FIXED else []
    if data.weights and data.method != Method.FIXED:
        raise field_error("weights", _("Only the fixed method takes weights."), Code.INVALID)
    excluded = set(data.excluded_agency_ids)
    if excluded - _members(excluded):
        raise field_error("excludedAgencies", _("Unknown agency."), Code.UNKNOWN_AGENCY)
    return weights


@transaction.atomic
def add_key_version(actor: User | None, key_id: int, data: VersionInput) -> KeyVersion:
    """A new version of a key from a month on. Versions are never edited: a month already
    closed keeps the version it was split with, so a new one must start after the last
    closed period."""
    require_finance(actor)
    key = AllocationKey.objects.select_for_update().filter(pk=key_id).first()
    if key is None:
        raise field_error("key", _("No such key."), Code.NOT_FOUND)
    require_sensible_date("validFrom", data.valid_from, codes=Code)
    valid_from = first_of_month(data.valid_from)
    if Period.objects.filter(state=PeriodState.CLOSED, month__gte=valid_from).exists():
        raise field_error(
            "validFrom",
            _("That month is in (or before) a closed period; start after it."),
            Code.PERIOD_CLOSED,
        )
    if key.versions.filter(valid_from=valid_from).exists():
        raise field_error("validFrom", _("The key has a version from that month."), Code.DUPLICATE)
    weights = _check_version(data)
    version = KeyVersion.objects.create(
        key=key,
        valid_from=valid_from,
        method=data.method,
        driver_kind=data.driver_kind if data.method == Method.DRIVER else "",
        only_subscribers=data.only_subscribers,
    )
    version.excluded.set(sorted(set(data.excluded_agency_ids)))
    KeyWeight.objects.bulk_create(
        KeyWeight(version=version, agency_id=a, weight=w) for a, w in weights
    )
    record_event(
        actor,
        "costs.key.version_added",
        key,
        version=version.pk,
        valid_from=f"{valid_from:%Y-%m}",
        method=data.method,
    )
    return version
