"""Builders of small catalogues for the catalogue tests (plain ORM rows, no actions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from graphql_relay import to_global_id

from services.audit.models import AuditEvent
from services.catalogue.models import (
    Agreement,
    AgreementKind,
    AgreementTarget,
    Category,
    Offering,
    OfferingPrice,
    OfferingRelation,
    PriceModel,
    Service,
    Supplier,
)


def today() -> dt.date:
    """Today in Stockholm, read from the tests' clock when the test runs (never at import)."""
    return timezone.localdate()


def last_year() -> dt.date:
    """A day in the year before last's end: the first price of every test offering."""
    return today().replace(month=1, day=1) - dt.timedelta(days=365)


@dataclass
class Catalogue:
    supplier: Supplier
    internal: Supplier
    ola: Agreement
    sla: Agreement
    service: Service
    offerings: list[Offering] = field(default_factory=list)


def gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def add_targets(agreement: Agreement) -> None:
    AgreementTarget.objects.bulk_create(
        AgreementTarget(
            agreement=agreement,
            priority=p,
            response_minutes=15 * p,
            resolution_minutes=240 * p,
        )
        for p in (1, 2, 3, 4)
    )


def make_offering(
    catalogue: Catalogue,
    code: str,
    *,
    security: int = 2,
    availability: int = 2,
    monthly_ore: int = 12900,
    agreement: Agreement | None = None,
    **extra,
) -> Offering:
    offering = Offering.objects.create(
        service=catalogue.service,
        code=code,
        name=extra.pop("name", f"Offering {code}"),
        security_level=security,
        availability_level=availability,
        price_model=extra.pop("price_model", PriceModel.PER_UNIT_MONTHLY),
        unit=extra.pop("unit", "user"),
        min_quantity=1,
        max_quantity=100,
        agreement=agreement or catalogue.ola,
        **extra,
    )
    OfferingPrice.objects.create(offering=offering, valid_from=last_year(), monthly_ore=monthly_ore)
    catalogue.offerings.append(offering)
    return offering


def make_catalogue(offerings: int = 2) -> Catalogue:
    internal = Supplier.objects.create(name="Test Central IT", is_internal=True)
    supplier = Supplier.objects.create(
        name="Testleverantören AB", contract_ends_on=dt.date(2028, 12, 31)
    )
    ola = Agreement.objects.create(
        name="Test OLA",
        kind=AgreementKind.OLA,
        availability_percent=Decimal("99.5"),
        support_hours="Vardagar 08-17",
    )
    sla = Agreement.objects.create(
        name="Test SLA",
        kind=AgreementKind.SLA,
        supplier=supplier,
        availability_percent=Decimal("99.9"),
        support_hours="Dygnet runt",
    )
    add_targets(ola)
    add_targets(sla)
    service = Service.objects.create(
        name="Testtjänst e-post", category=Category.EMAIL, owner="Central IT"
    )
    service.suppliers.set([internal, supplier])
    catalogue = Catalogue(supplier, internal, ola, sla, service)
    for i in range(offerings):
        make_offering(catalogue, f"test-offering-{i:03d}", agreement=sla if i % 2 else ola)
    return catalogue


def relate(offering: Offering, kind: str, other: Offering) -> OfferingRelation:
    return OfferingRelation.objects.create(offering=offering, other=other, kind=kind)


def footprint() -> tuple[int, ...]:
    """Row counts of every catalogue table: equal before and after means nothing was written."""
    return (
        Supplier.objects.count(),
        Agreement.objects.count(),
        AgreementTarget.objects.count(),
        Service.objects.count(),
        Service.suppliers.through.objects.count(),
        Offering.objects.count(),
        OfferingPrice.objects.count(),
        OfferingRelation.objects.count(),
        AuditEvent.objects.count(),
    )


def snapshot() -> list:
    """Every catalogue row's values: equal before and after means nothing was changed."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Supplier,
            Agreement,
            AgreementTarget,
            Service,
            Service.suppliers.through,
            Offering,
            OfferingPrice,
            OfferingRelation,
            AuditEvent,
        )
    ]
