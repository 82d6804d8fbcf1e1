"""Write paths of supplier contracts (commercial information: what central IT pays a supplier,
and for which services). Written by catalogue managers and platform admins, as the suppliers
are; read by the concentration report (services/catalogue/suppliers.py)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import Ref, changes, check_keys, ref_pk
from services.catalogue.actions.rows import fetch, require_catalogue_manager, update_row
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Service, Supplier, SupplierContract
from services.validation import Errors, a_date, field_error, text, whole_number
from tenants.models import User

MAX_CONTRACT_ORE = 10**15  # ten thousand million SEK
CONTRACT_FIELDS = (
    "supplier",
    "reference",
    "value_ore",
    "annual_value_ore",
    "starts_on",
    "ends_on",
    "services",
    "notes",
)


def _contract_values(contract: SupplierContract) -> dict[str, Any]:
    return {
        "supplier": contract.supplier,
        "reference": contract.reference,
        "value_ore": contract.value_ore,
        "annual_value_ore": contract.annual_value_ore,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "notes": contract.notes,
        "services": sorted(contract.services.all(), key=lambda s: s.pk),
    }


def _duplicate_reference() -> str:
    return _("This supplier already has a contract with this reference.")


def _clean_contract(values: dict[str, Any], instance: SupplierContract | None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "supplier": fetch(Supplier, values.get("supplier"), "supplier", errors)
    }
    clean["reference"] = text(
        errors, "reference", values.get("reference"), codes=Code, max_length=100
    )
    if clean["supplier"] is not None and "reference" not in errors:
        same = SupplierContract.objects.filter(
            supplier=clean["supplier"], reference=clean["reference"]
        )
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("reference", _duplicate_reference(), Code.DUPLICATE)
    clean["value_ore"] = whole_number(
        errors, "value_ore", values.get("value_ore"), codes=Code, low=0, high=MAX_CONTRACT_ORE
    )
    annual = values.get("annual_value_ore")
    clean["annual_value_ore"] = (
        None
        if annual is None
        else whole_number(
            errors, "annual_value_ore", annual, codes=Code, low=0, high=MAX_CONTRACT_ORE
        )
    )
    clean["starts_on"] = a_date(errors, "starts_on", values.get("starts_on"), codes=Code)
    clean["ends_on"] = a_date(errors, "ends_on", values.get("ends_on"), codes=Code)
    if clean["starts_on"] and clean["ends_on"] and clean["ends_on"] <= clean["starts_on"]:
        errors.add("ends_on", _("The contract must end after it starts."), Code.OUT_OF_RANGE)
    clean["notes"] = text(
        errors, "notes", values.get("notes"), codes=Code, max_length=5000, required=False
    )
    wanted = {ref_pk(s) for s in values.get("services") or []}
    services = list(Service.objects.filter(pk__in=wanted)) if wanted else []
    if len(services) != len(wanted):
        errors.add("services", _("No such service."), Code.NOT_FOUND)
    clean["services"] = sorted(services, key=lambda s: s.pk)
    errors.raise_if_any()
    return clean


def create_supplier_contract(actor: User | None, **data: Any) -> SupplierContract:
    """A new contract. Fields: supplier, reference, value_ore, annual_value_ore (optional),
    starts_on, ends_on (after the start), services (delivered), notes."""
    require_catalogue_manager(actor)
    check_keys(data, CONTRACT_FIELDS)
    values = {"notes": "", "services": [], "annual_value_ore": None, **data}
    try:
        with transaction.atomic():
            clean = _clean_contract(values, None)
            services = clean.pop("services")
            contract = SupplierContract.objects.create(**clean)
            contract.services.set(services)
            record_event(
                actor,
                "catalogue.supplier_contract.created",
                contract,
                **changes({}, {**clean, "services": services}),
            )
    except IntegrityError as exc:  # lost a race on (supplier, reference)
        raise field_error("reference", _duplicate_reference(), Code.DUPLICATE) from exc
    return contract


def update_supplier_contract(actor: User | None, contract: Ref, **given: Any) -> SupplierContract:
    """Change some fields of a contract (the others keep their values); `services` replaces
    the list. Nothing is written (and no event recorded) when nothing changes."""

    def after(row: SupplierContract, before: dict[str, Any], extra: dict[str, Any]) -> None:
        row.services.set(extra["services"])

    return update_row(
        actor,
        SupplierContract,
        contract,
        given,
        fields=CONTRACT_FIELDS,
        values=_contract_values,
        clean=_clean_contract,
        event="catalogue.supplier_contract.updated",
        related=("services",),
        after=after,
        unique=("reference", _duplicate_reference()),
    )
