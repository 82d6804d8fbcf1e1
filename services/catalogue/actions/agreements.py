"""Write paths of the catalogue's agreements: OLAs (central IT's own) and SLAs (with an external
supplier), each with response and resolution targets for priorities 1 to 4."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import MAX_INT, PRIORITIES, Ref, changes, check_keys, choice
from services.catalogue.actions.rows import fetch, require_catalogue_manager, update_row
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Agreement, AgreementKind, AgreementTarget, Supplier
from services.validation import Errors, text, whole_number
from tenants.models import User

AGREEMENT_FIELDS = (
    "name",
    "kind",
    "supplier",
    "availability_percent",
    "support_hours",
    "targets",
)

Target = dict[str, int | None]  # priority, response_minutes, resolution_minutes


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _clean_targets(errors: Errors, targets: object) -> list[Target]:
    if not isinstance(targets, list | tuple) or not targets:
        errors.add(
            "targets",
            _("Give response and resolution targets for priorities 1 to 4."),
            Code.REQUIRED,
        )
        return []
    clean = []
    seen: set[int] = set()
    for index, given in enumerate(targets):
        path = f"targets.{index}."
        target = dict(given)
        priority = whole_number(
            errors, path + "priority", target.get("priority"), codes=Code, low=1, high=4
        )
        if priority is not None:
            if priority in seen:
                errors.add(
                    path + "priority",
                    _("Priority %(p)s is given twice.") % {"p": priority},
                    Code.DUPLICATE,
                )
            seen.add(priority)
        response, resolution = (
            whole_number(errors, path + field, target.get(field), codes=Code, low=1, high=MAX_INT)
            for field in ("response_minutes", "resolution_minutes")
        )
        if response is not None and resolution is not None and response > resolution:
            errors.add(
                path + "response_minutes",
                _("The response target is longer than the resolution target."),
                Code.INVALID,
            )
        clean.append(
            {"priority": priority, "response_minutes": response, "resolution_minutes": resolution}
        )
    missing = [p for p in PRIORITIES if p not in seen]
    if missing and not any(k.startswith("targets.") for k in errors.items):
        errors.add(
            "targets",
            _("Targets are missing for priority %(p)s.")
            % {"p": ", ".join(str(p) for p in missing)},
            Code.REQUIRED,
        )
    return sorted(clean, key=lambda t: t["priority"] or 0)


def validate_agreement(values: dict[str, Any]) -> None:
    """The rules `create_agreement` and `update_agreement` apply to an agreement's own fields,
    for forms such as the admin's that show errors beside their fields before writing (its
    targets come in a form of their own: `validate_targets`)."""
    try:
        _clean_agreement({**values, "targets": None})
    except ValidationError as exc:
        left = {k: v for k, v in exc.error_dict.items() if not k.startswith("targets")}
        if left:
            raise ValidationError(left) from None


def validate_targets(targets: list[dict[str, Any]]) -> None:
    """The rules the agreement actions apply to the four targets."""
    errors = Errors()
    _clean_targets(errors, targets)
    errors.raise_if_any()


def _clean_supplier_of(errors: Errors, kind: str, supplier_ref: Ref | None) -> Supplier | None:
    supplier = None
    if supplier_ref is not None:
        supplier = fetch(Supplier, supplier_ref, "supplier", errors)
    if kind == AgreementKind.SLA:
        if supplier_ref is None:
            errors.add(
                "supplier", _("An SLA is with an external supplier: name it."), Code.REQUIRED
            )
        elif supplier is not None and supplier.is_internal:
            errors.add(
                "supplier",
                _("An SLA is with an external supplier; central IT gives OLAs."),
                Code.INVALID,
            )
    elif kind == AgreementKind.OLA and supplier_ref is not None:
        errors.add("supplier", _("An OLA is central IT's own: it has no supplier."), Code.INVALID)
    return supplier


def _clean_percent(errors: Errors, value: object) -> Decimal | None:
    percent = _decimal(value)
    if percent is None:
        errors.add("availability_percent", _("Enter a number."), Code.INVALID)
        return percent
    exponent = percent.as_tuple().exponent  # an int: the number is finite
    if not Decimal(0) < percent <= Decimal(100):
        errors.add(
            "availability_percent",
            _("Must be above 0 and at most 100."),
            Code.OUT_OF_RANGE,
        )
    elif isinstance(exponent, int) and exponent < -3:
        errors.add("availability_percent", _("At most three decimals."), Code.INVALID)
    else:
        return percent.quantize(Decimal("0.001"))
    return percent


def _clean_agreement(values: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": text(errors, "name", values.get("name"), codes=Code, max_length=200),
        "kind": choice(errors, "kind", values.get("kind"), AgreementKind),
        "support_hours": text(
            errors, "support_hours", values.get("support_hours"), codes=Code, max_length=100
        ),
    }
    clean["supplier"] = _clean_supplier_of(errors, clean["kind"], values.get("supplier"))
    clean["availability_percent"] = _clean_percent(errors, values.get("availability_percent"))
    clean["targets"] = _clean_targets(errors, values.get("targets"))
    errors.raise_if_any()
    return clean


def _agreement_values(agreement: Agreement) -> dict[str, Any]:
    return {
        "name": agreement.name,
        "kind": agreement.kind,
        "supplier": agreement.supplier,
        "availability_percent": agreement.availability_percent,
        "support_hours": agreement.support_hours,
        "targets": [
            {
                "priority": t.priority,
                "response_minutes": t.response_minutes,
                "resolution_minutes": t.resolution_minutes,
            }
            for t in agreement.targets.order_by("priority")
        ],
    }


def create_agreement(actor: User | None, **data: Any) -> Agreement:
    """A new OLA (no supplier) or SLA (an external supplier), with targets for priorities 1-4:
    `targets=[{"priority", "response_minutes", "resolution_minutes"}, ...]`."""
    require_catalogue_manager(actor)
    check_keys(data, AGREEMENT_FIELDS)
    with transaction.atomic():
        clean = _clean_agreement(data)
        targets = clean.pop("targets")
        agreement = Agreement.objects.create(**clean)
        AgreementTarget.objects.bulk_create(
            AgreementTarget(agreement=agreement, **t) for t in targets
        )
        record_event(
            actor,
            "catalogue.agreement.created",
            agreement,
            **changes({}, {**clean, "targets": targets}),
        )
    return agreement


def update_agreement(actor: User | None, agreement: Ref, **given: Any) -> Agreement:
    """Change some fields; `targets`, when given, replaces all four targets."""

    def after(row: Agreement, before: dict[str, Any], extra: dict[str, Any]) -> None:
        if extra["targets"] != before["targets"]:
            row.targets.all().delete()
            AgreementTarget.objects.bulk_create(
                AgreementTarget(agreement=row, **t) for t in extra["targets"]
            )

    return update_row(
        actor,
        Agreement,
        agreement,
        given,
        fields=AGREEMENT_FIELDS,
        values=_agreement_values,
        clean=lambda values, _row: _clean_agreement(values),
        event="catalogue.agreement.updated",
        related=("targets",),
        after=after,
    )
