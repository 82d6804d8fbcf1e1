"""Write paths of the catalogue's suppliers: central IT itself (internal) and the external
suppliers with which it has SLAs. Their contracts have actions of their own (contracts.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import Ref, changes, check_keys
from services.catalogue.actions.rows import require_catalogue_manager, update_row
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import AgreementKind, Supplier
from services.validation import Errors, field_error, text
from tenants.models import User

SUPPLIER_FIELDS = ("name", "is_internal", "org_number", "contract_reference", "contract_ends_on")


def _clean_org_number(errors: Errors, value: object) -> str:
    org_number = text(errors, "org_number", value, codes=Code, max_length=11, required=False)
    if org_number and "org_number" not in errors:
        from stdnum.se import orgnr

        try:
            org_number = orgnr.format(orgnr.validate(org_number))
        except Exception:  # stdnum raises its own ValidationError subclasses
            errors.add("org_number", _("Not a valid Swedish organisation number."), Code.INVALID)
    return org_number


def _clean_supplier(values: dict[str, Any], instance: Supplier | None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": text(errors, "name", values.get("name"), codes=Code, max_length=200),
        "contract_reference": text(
            errors,
            "contract_reference",
            values.get("contract_reference"),
            codes=Code,
            max_length=100,
            required=False,
        ),
    }
    if "name" not in errors:
        same = Supplier.objects.filter(name__iexact=clean["name"])
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("name", _("A supplier with this name already exists."), Code.DUPLICATE)
    is_internal = values.get("is_internal")
    if not isinstance(is_internal, bool):
        errors.add("is_internal", _("Must be true or false."), Code.INVALID)
    clean["is_internal"] = is_internal
    clean["org_number"] = _clean_org_number(errors, values.get("org_number"))
    ends_on = values.get("contract_ends_on")
    if ends_on is not None and (
        not isinstance(ends_on, dt.date) or isinstance(ends_on, dt.datetime)
    ):
        errors.add("contract_ends_on", _("Enter a date."), Code.INVALID)
    clean["contract_ends_on"] = ends_on
    if (
        is_internal is False
        and instance is not None
        and instance.is_internal
        and instance.agreements.filter(kind=AgreementKind.OLA).exists()
    ):
        errors.add("is_internal", _("The supplier has OLAs."), Code.CONFLICT)
    if (
        is_internal is True
        and instance is not None
        and instance.agreements.filter(kind=AgreementKind.SLA).exists()
    ):
        errors.add(
            "is_internal",
            _("The supplier has SLAs, which are with external suppliers."),
            Code.CONFLICT,
        )
    errors.raise_if_any()
    return clean


def _supplier_values(supplier: Supplier) -> dict[str, Any]:
    return {field: getattr(supplier, field) for field in SUPPLIER_FIELDS}


def create_supplier(actor: User | None, **data: Any) -> Supplier:
    """A new supplier. Fields: name, is_internal, org_number, contract_reference,
    contract_ends_on."""
    require_catalogue_manager(actor)
    check_keys(data, SUPPLIER_FIELDS)
    values = {"is_internal": False, "org_number": "", "contract_reference": "", **data}
    try:
        with transaction.atomic():
            clean = _clean_supplier(values, None)
            supplier = Supplier.objects.create(**clean)
            record_event(actor, "catalogue.supplier.created", supplier, **changes({}, clean))
    except IntegrityError as exc:
        raise field_error(
            "name", _("A supplier with this name already exists."), Code.DUPLICATE
        ) from exc
    return supplier


def validate_supplier(values: dict[str, Any], supplier: Supplier | None = None) -> None:
    """The rules `create_supplier` and `update_supplier` apply, for the admin's form."""
    _clean_supplier(values, supplier)


def update_supplier(actor: User | None, supplier: Ref, **given: Any) -> Supplier:
    return update_row(
        actor,
        Supplier,
        supplier,
        given,
        fields=SUPPLIER_FIELDS,
        values=_supplier_values,
        clean=_clean_supplier,
        event="catalogue.supplier.updated",
        unique=("name", _("A supplier with this name already exists.")),
    )
