"""Write paths of the catalogue's services: create, update (retiring one retires its
offerings) and retire."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import (
    Ref,
    changes,
    check_keys,
    choice,
    lifecycle_change,
    ref_pk,
)
from services.catalogue.actions.rows import fetch, require_catalogue_manager, update_row
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Category, Lifecycle, Service, Supplier
from services.validation import Errors, clean_text, field_error, text
from tenants.models import User

SERVICE_FIELDS = ("name", "description", "category", "owner", "suppliers", "lifecycle")


def _clean_service(values: dict[str, Any], instance: Service | None) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {
        "name": text(errors, "name", values.get("name"), codes=Code, max_length=200),
        "description": text(
            errors,
            "description",
            values.get("description"),
            codes=Code,
            max_length=5000,
            required=False,
        ),
        "category": choice(errors, "category", values.get("category"), Category),
        "owner": text(errors, "owner", values.get("owner"), codes=Code, max_length=200),
        "lifecycle": choice(errors, "lifecycle", values.get("lifecycle"), Lifecycle),
    }
    if "name" not in errors:
        same = Service.objects.filter(name__iexact=clean["name"])
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("name", _("A service with this name already exists."), Code.DUPLICATE)
    supplier_pks = [ref_pk(s) for s in values.get("suppliers") or []]
    suppliers = list(Supplier.objects.filter(pk__in=supplier_pks)) if supplier_pks else []
    if len(suppliers) != len(set(supplier_pks)):
        errors.add("suppliers", _("No such supplier."), Code.NOT_FOUND)
    clean["suppliers"] = sorted(suppliers, key=lambda s: s.pk)
    if "lifecycle" not in errors:
        if instance is None:
            if clean["lifecycle"] not in (Lifecycle.PLANNED, Lifecycle.ACTIVE):
                errors.add(
                    "lifecycle", _("A new service is planned or active."), Code.INVALID_STATE
                )
        else:
            lifecycle_change(errors, "lifecycle", instance.lifecycle, clean["lifecycle"])
    errors.raise_if_any()
    return clean


def _service_values(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "description": service.description,
        "category": service.category,
        "owner": service.owner,
        "lifecycle": service.lifecycle,
        "suppliers": sorted(service.suppliers.all(), key=lambda s: s.pk),
    }


def create_service(actor: User | None, **data: Any) -> Service:
    """A new service. Fields: name, description, category, owner, suppliers, lifecycle."""
    require_catalogue_manager(actor)
    check_keys(data, SERVICE_FIELDS)
    values = {"description": "", "lifecycle": Lifecycle.ACTIVE, "suppliers": [], **data}
    try:
        with transaction.atomic():
            clean = _clean_service(values, None)
            suppliers = clean.pop("suppliers")
            service = Service.objects.create(**clean)
            service.suppliers.set(suppliers)
            record_event(
                actor,
                "catalogue.service.created",
                service,
                **changes({}, {**clean, "suppliers": suppliers}),
            )
    except IntegrityError as exc:  # lost a race on the unique name
        raise field_error(
            "name", _("A service with this name already exists."), Code.DUPLICATE
        ) from exc
    return service


def update_service(actor: User | None, service: Ref, **given: Any) -> Service:
    """Change some fields of a service (the others keep their values)."""

    def after(row: Service, before: dict[str, Any], extra: dict[str, Any]) -> None:
        row.suppliers.set(extra["suppliers"])
        if row.lifecycle == Lifecycle.RETIRED and before["lifecycle"] != Lifecycle.RETIRED:
            _retire_offerings_of(actor, row, reason="")

    return update_row(
        actor,
        Service,
        service,
        given,
        fields=SERVICE_FIELDS,
        values=_service_values,
        clean=_clean_service,
        event="catalogue.service.updated",
        related=("suppliers",),
        after=after,
        unique=("name", _("A service with this name already exists.")),
    )


def validate_service(values: dict[str, Any], service: Service | None = None) -> None:
    """The rules `create_service` and `update_service` apply (lifecycle moves included), for
    forms such as the admin's that show errors beside their fields before writing."""
    _clean_service(values, service)


def _retire_offerings_of(actor: User | None, service: Service, reason: str) -> None:
    for offering in service.offerings.select_for_update().exclude(lifecycle=Lifecycle.RETIRED):
        before = offering.lifecycle
        offering.lifecycle = Lifecycle.RETIRED
        offering.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.offering.retired",
            offering,
            reason=reason,
            lifecycle=[before, Lifecycle.RETIRED.value],
        )


def retire_service(
    actor: User | None, service: Ref, *, lifecycle: str = Lifecycle.RETIRED, reason: str = ""
) -> Service:
    """Move a service to retiring (no new orders) or retired (its offerings retire too)."""
    require_catalogue_manager(actor)
    errors = Errors()
    lifecycle = choice(errors, "lifecycle", lifecycle, Lifecycle)
    if "lifecycle" not in errors and lifecycle not in (Lifecycle.RETIRING, Lifecycle.RETIRED):
        errors.add("lifecycle", _("Choose retiring or retired."), Code.INVALID)
    errors.raise_if_any()
    with transaction.atomic():
        row = fetch(Service, service, "service", lock=True)
        before = row.lifecycle
        lifecycle_change(errors, "lifecycle", before, lifecycle)
        if before == lifecycle:
            errors.add("lifecycle", _("The service is already in this state."), Code.INVALID_STATE)
        errors.raise_if_any()
        row.lifecycle = lifecycle
        row.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.service.retired",
            row,
            reason=clean_text("reason", reason),
            lifecycle=[before, lifecycle],
        )
        if lifecycle == Lifecycle.RETIRED:
            _retire_offerings_of(actor, row, reason=clean_text("reason", reason))
    return row
