"""Loading the demo catalogue: `load_catalogue()` is idempotent: rows are found by name
(suppliers, agreements, services) or code (offerings) and only created when missing; existing
rows are left as they are. Only shared (public schema) rows are written."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from demo.data.catalogue.agreements import AGREEMENTS
from demo.data.catalogue.offerings import OFFERINGS, RELATIONS
from demo.data.catalogue.services import SERVICES
from demo.data.catalogue.suppliers import SUPPLIERS
from services.catalogue.models import (
    Agreement,
    AgreementTarget,
    Lifecycle,
    Offering,
    OfferingPrice,
    OfferingRelation,
    Service,
    Supplier,
)


def load_catalogue() -> dict[str, int]:
    """Create the demo catalogue where missing. Returns the number of rows created per kind."""
    created = dict.fromkeys(
        ("suppliers", "agreements", "targets", "services", "offerings", "prices", "relations"), 0
    )

    def count(kind: str, was_created: bool) -> None:
        created[kind] += int(was_created)

    with schema_context(get_public_schema_name()), transaction.atomic():
        suppliers: dict[str, Supplier] = {}
        for name, internal, reference, ends_on in SUPPLIERS:
            suppliers[name], new = Supplier.objects.get_or_create(
                name=name,
                defaults={
                    "is_internal": internal,
                    "contract_reference": reference,
                    "contract_ends_on": ends_on,
                },
            )
            count("suppliers", new)

        agreements: dict[str, Agreement] = {}
        for name, kind, supplier, percent, hours, targets in AGREEMENTS:
            agreements[name], new = Agreement.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "supplier": suppliers[supplier] if supplier else None,
                    "availability_percent": Decimal(percent),
                    "support_hours": hours,
                },
            )
            count("agreements", new)
            for priority, (response, resolution) in enumerate(targets, start=1):
                _t, new = AgreementTarget.objects.get_or_create(
                    agreement=agreements[name],
                    priority=priority,
                    defaults={"response_minutes": response, "resolution_minutes": resolution},
                )
                count("targets", new)

        services: dict[str, Service] = {}
        for name, category, owner, delivered_by, description in SERVICES:
            services[name], new = Service.objects.get_or_create(
                name=name,
                defaults={
                    "category": category,
                    "owner": owner,
                    "description": description,
                    "lifecycle": Lifecycle.ACTIVE,
                },
            )
            count("services", new)
            if new:
                services[name].suppliers.set([suppliers[s] for s in delivered_by])

        offerings: dict[str, Offering] = {}
        for row in OFFERINGS:
            (code, service, name, security, availability, model, unit) = row[:7]
            (low, high, notice, lead, agreement, prices) = row[7:]
            offerings[code], new = Offering.objects.get_or_create(
                code=code,
                defaults={
                    "service": services[service],
                    "name": name,
                    "security_level": security,
                    "availability_level": availability,
                    "price_model": model,
                    "unit": unit,
                    "min_quantity": low,
                    "max_quantity": high,
                    "notice_days": notice,
                    "lead_time_days": lead,
                    "agreement": agreements[agreement],
                    "lifecycle": Lifecycle.ACTIVE,
                },
            )
            count("offerings", new)
            if not new:  # a demo loaded before its levels were corrected (issue 20)
                Offering.objects.filter(pk=offerings[code].pk).exclude(
                    security_level=security, availability_level=availability
                ).update(security_level=security, availability_level=availability)
            for valid_from, monthly, one_off in prices:
                _p, new = OfferingPrice.objects.get_or_create(
                    offering=offerings[code],
                    valid_from=valid_from,
                    defaults={"monthly_ore": monthly, "one_off_ore": one_off},
                )
                count("prices", new)

        for code, relation, other in RELATIONS:
            _r, new = OfferingRelation.objects.get_or_create(
                offering=offerings[code], other=offerings[other], kind=relation
            )
            count("relations", new)
    return created
