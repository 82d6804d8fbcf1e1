"""Write paths of the catalogue's offerings: create (with an optional first price), update
and retire."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import (
    CODE_RE,
    MAX_INT,
    Ref,
    changes,
    check_keys,
    choice,
    lifecycle_change,
)
from services.catalogue.actions.prices import clean_price, write_price
from services.catalogue.actions.rows import fetch, require_catalogue_manager, update_row
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Agreement, Lifecycle, Offering, PriceModel, Service
from services.validation import Errors, clean_text, field_error, text, whole_number
from tenants.models import User

OFFERING_FIELDS = (
    "service",
    "code",
    "name",
    "security_level",
    "availability_level",
    "price_model",
    "unit",
    "min_quantity",
    "max_quantity",
    "notice_days",
    "lead_time_days",
    "agreement",
    "lifecycle",
)


def _offering_values(offering: Offering) -> dict[str, Any]:
    return {
        "service": offering.service,
        "code": offering.code,
        "name": offering.name,
        "security_level": offering.security_level,
        "availability_level": offering.availability_level,
        "price_model": offering.price_model,
        "unit": offering.unit,
        "min_quantity": offering.min_quantity,
        "max_quantity": offering.max_quantity,
        "notice_days": offering.notice_days,
        "lead_time_days": offering.lead_time_days,
        "agreement": offering.agreement,
        "lifecycle": offering.lifecycle,
    }


def _clean_code(errors: Errors, value: object, instance: Offering | None) -> object:
    code = value.strip() if isinstance(value, str) else value
    if not code:
        errors.add("code", _("This field is required."), Code.REQUIRED)
    elif not isinstance(code, str) or not CODE_RE.match(code) or len(code) > 60:
        errors.add(
            "code",
            _("Use at most 60 lower-case letters a-z, digits and single hyphens."),
            Code.INVALID,
        )
    else:
        same = Offering.objects.filter(code=code)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("code", _("An offering with this code already exists."), Code.DUPLICATE)
    return code


def _clean_offering(values: dict[str, Any], instance: Offering | None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    service = fetch(Service, values.get("service"), "service", errors)
    if (
        service is not None
        and service.lifecycle == Lifecycle.RETIRED
        and (instance is None or instance.service_id != service.pk)
    ):
        errors.add("service", _("The service is retired."), Code.INVALID_STATE)
    clean["service"] = service
    clean["code"] = _clean_code(errors, values.get("code"), instance)
    clean["name"] = text(errors, "name", values.get("name"), codes=Code, max_length=200)
    for field in ("security_level", "availability_level"):
        clean[field] = whole_number(errors, field, values.get(field), codes=Code, low=1, high=4)
    clean["price_model"] = choice(errors, "price_model", values.get("price_model"), PriceModel)
    clean["unit"] = text(
        errors, "unit", values.get("unit"), codes=Code, max_length=30, required=False
    )
    if (
        clean["price_model"] == PriceModel.PER_UNIT_MONTHLY
        and "unit" not in errors
        and not clean["unit"]
    ):
        errors.add(
            "unit",
            _("A price per unit needs its unit (user, device, GB…)."),
            Code.REQUIRED,
        )
    for field in ("min_quantity", "max_quantity"):
        clean[field] = whole_number(
            errors, field, values.get(field), codes=Code, low=1, high=MAX_INT
        )
    if (
        clean["min_quantity"] is not None
        and clean["max_quantity"] is not None
        and clean["max_quantity"] < clean["min_quantity"]
    ):
        errors.add(
            "max_quantity",
            _("The maximum quantity is below the minimum (%(min)s).")
            % {"min": clean["min_quantity"]},
            Code.OUT_OF_RANGE,
        )
    for field in ("notice_days", "lead_time_days"):
        clean[field] = whole_number(
            errors, field, values.get(field), codes=Code, low=0, high=MAX_INT
        )
    clean["agreement"] = fetch(Agreement, values.get("agreement"), "agreement", errors)
    clean["lifecycle"] = choice(errors, "lifecycle", values.get("lifecycle"), Lifecycle)
    if "lifecycle" not in errors:
        if instance is None:
            if clean["lifecycle"] not in (Lifecycle.PLANNED, Lifecycle.ACTIVE):
                errors.add(
                    "lifecycle", _("A new offering is planned or active."), Code.INVALID_STATE
                )
        else:
            lifecycle_change(errors, "lifecycle", instance.lifecycle, clean["lifecycle"])
    errors.raise_if_any()
    return clean


def create_offering(
    actor: User | None, *, price: dict[str, Any] | None = None, **data: Any
) -> Offering:
    """A new offering of a service, with an optional first price
    (`price={"valid_from", "monthly_ore", "one_off_ore"}`)."""
    require_catalogue_manager(actor)
    check_keys(data, OFFERING_FIELDS)
    values = {
        "unit": "",
        "min_quantity": 1,
        "max_quantity": 1,
        "notice_days": 90,
        "lead_time_days": 10,
        "lifecycle": Lifecycle.ACTIVE,
        **data,
    }
    try:
        with transaction.atomic():
            found: dict[str, list[ValidationError]] = {}
            clean: dict[str, Any] = {}
            try:
                clean = _clean_offering(values, None)
            except ValidationError as exc:
                found.update(exc.error_dict)
            if price is not None:
                try:
                    clean_price(None, values.get("price_model"), prefix="price.", **price)
                except ValidationError as exc:
                    found.update(exc.error_dict)
            if found:
                raise ValidationError(found)
            offering = Offering.objects.create(**clean)
            record_event(actor, "catalogue.offering.created", offering, **changes({}, clean))
            if price is not None:
                write_price(actor, offering, **price)
    except IntegrityError as exc:
        raise field_error(
            "code", _("An offering with this code already exists."), Code.DUPLICATE
        ) from exc
    return offering


def update_offering(actor: User | None, offering: Ref, **given: Any) -> Offering:
    """Change some fields of an offering (the others keep their values)."""
    return update_row(
        actor,
        Offering,
        offering,
        given,
        fields=OFFERING_FIELDS,
        values=_offering_values,
        clean=_clean_offering,
        event="catalogue.offering.updated",
        unique=("code", _("An offering with this code already exists.")),
    )


def validate_offering(values: dict[str, Any], offering: Offering | None = None) -> None:
    """The rules `create_offering` and `update_offering` apply, for forms such as the admin's
    that show errors beside their fields before writing."""
    _clean_offering(values, offering)


def retire_offering(
    actor: User | None, offering: Ref, *, lifecycle: str = Lifecycle.RETIRED, reason: str = ""
) -> Offering:
    """Move an offering to retiring (no new orders, subscriptions go on) or retired."""
    require_catalogue_manager(actor)
    errors = Errors()
    lifecycle = choice(errors, "lifecycle", lifecycle, Lifecycle)
    if "lifecycle" not in errors and lifecycle not in (Lifecycle.RETIRING, Lifecycle.RETIRED):
        errors.add("lifecycle", _("Choose retiring or retired."), Code.INVALID)
    errors.raise_if_any()
    with transaction.atomic():
        row = fetch(Offering, offering, "offering", lock=True)
        before = row.lifecycle
        if before == lifecycle:
            errors.add("lifecycle", _("The offering is already in this state."), Code.INVALID_STATE)
        else:
            lifecycle_change(errors, "lifecycle", before, lifecycle)
        errors.raise_if_any()
        row.lifecycle = lifecycle
        row.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.offering.retired",
            row,
            reason=clean_text("reason", reason),
            lifecycle=[before, lifecycle],
        )
    return row
