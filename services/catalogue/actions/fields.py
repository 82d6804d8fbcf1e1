"""The field helpers the catalogue's actions share: limits, references to rows, choices,
lifecycle moves and the changes an audit event records. Text and whole numbers are checked by
the one validation toolkit (services/validation.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeAlias

from django.db import models
from django.utils.translation import gettext as _

from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Lifecycle
from services.validation import Errors

MAX_INT = 2_147_483_647  # PositiveIntegerField, and GraphQL's Int
MAX_ORE = MAX_INT  # 21 million SEK: far above any catalogue price, and fits GraphQL Int
CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PRIORITIES = (1, 2, 3, 4)

# Which lifecycle states may follow which. Retired is final.
LIFECYCLE_NEXT: dict[str, frozenset[str]] = {
    Lifecycle.PLANNED: frozenset({Lifecycle.ACTIVE, Lifecycle.RETIRED}),
    Lifecycle.ACTIVE: frozenset({Lifecycle.RETIRING, Lifecycle.RETIRED}),
    Lifecycle.RETIRING: frozenset({Lifecycle.ACTIVE, Lifecycle.RETIRED}),
    Lifecycle.RETIRED: frozenset(),
}

# A reference to a row: the model instance, or its primary key.
Ref: TypeAlias = models.Model | int | str


def check_keys(given: Iterable[str], allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def ref_pk(ref: Ref | None) -> Any:
    """The primary key a reference names (a model's pk is untyped in Django)."""
    return ref.pk if isinstance(ref, models.Model) else ref


def choice(errors: Errors, field: str, value: object, choices: type[models.Choices]) -> str:
    """One of `choices` (an enum member or its value); refused when missing or unknown. A
    refused value is returned as given (never written: the errors are raised first)."""
    raw: Any = getattr(value, "value", value)
    if raw is None or raw == "":
        errors.add(field, _("This field is required."), Code.REQUIRED)
    elif raw not in choices.values:
        errors.add(
            field,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            Code.INVALID,
        )
    return raw


def _json(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_json(v) for v in value]
    return value


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, Any]:
    """`[before, after]` of each field that changed, as the audit event records it (passed on
    as `record_event(..., **changes)`, whose other keywords are typed)."""
    return {
        key: [_json(before.get(key)), _json(value)]
        for key, value in after.items()
        if _json(before.get(key)) != _json(value)
    }


def lifecycle_change(errors: Errors, field: str, current: str, new: str) -> None:
    if new != current and new not in LIFECYCLE_NEXT.get(current, frozenset()):
        errors.add(
            field,
            _("A %(current)s item cannot become %(new)s.")
            % {
                "current": Lifecycle(current).label.lower(),
                "new": Lifecycle(new).label.lower(),
            },
            Code.INVALID_STATE,
        )
