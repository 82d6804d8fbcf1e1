"""Read helpers of the catalogue, shared by ordering and the API. Pure functions over rows
the caller has loaded (with `prices` and `service` prefetched), so lists stay at a constant
number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from services.catalogue.models import Lifecycle, Offering, OfferingPrice, OfferingRelation
from tenants.models import Agency


def offerings_with_prices() -> QuerySet[Offering]:
    return Offering.objects.select_related(
        "service", "agreement", "agreement__supplier"
    ).prefetch_related(
        Prefetch("prices", queryset=OfferingPrice.objects.order_by("-valid_from")),
        Prefetch("relations", queryset=OfferingRelation.objects.select_related("other")),
    )


def price_on(offering: Offering, day: dt.date) -> OfferingPrice | None:
    """The price valid on `day`: the latest version with valid_from <= day (prefetched)."""
    valid = [p for p in offering.prices.all() if p.valid_from <= day]
    return max(valid, key=lambda p: p.valid_from) if valid else None


def not_orderable_reason(
    offering: Offering, agency: Agency, day: dt.date | None = None
) -> str | None:
    """Why `agency` may not order `offering`, or None when it may."""
    if offering.lifecycle != Lifecycle.ACTIVE or offering.service.lifecycle != Lifecycle.ACTIVE:
        return _("The offering is %(state)s.") % {
            "state": (
                offering.get_lifecycle_display()
                if offering.lifecycle != Lifecycle.ACTIVE
                else offering.service.get_lifecycle_display()
            ).lower()
        }
    if offering.security_level < agency.security_level:
        return _("Meets security level %(offered)s; the agency requires %(required)s.") % {
            "offered": offering.security_level,
            "required": agency.security_level,
        }
    if offering.availability_level < agency.availability_level:
        return _("Meets availability level %(offered)s; the agency requires %(required)s.") % {
            "offered": offering.availability_level,
            "required": agency.availability_level,
        }
    if price_on(offering, day or timezone.localdate()) is None:
        return _("The offering has no price yet.")
    return None


def orderable_filter(agency: Agency, day: dt.date | None = None) -> Q:
    """The offerings `agency` may order on `day`, as a filter: the same checks as
    `not_orderable_reason` (lifecycle, levels, a price), so counts and pages agree with it."""
    day = day or timezone.localdate()
    return Q(
        Q(lifecycle=Lifecycle.ACTIVE, service__lifecycle=Lifecycle.ACTIVE),
        security_level__gte=agency.security_level,
        availability_level__gte=agency.availability_level,
    ) & Q(Exists(OfferingPrice.objects.filter(offering=OuterRef("pk"), valid_from__lte=day)))


def catalogue_offerings() -> QuerySet[Offering]:
    """Offerings with everything a catalogue listing shows loaded in a fixed number of queries:
    service and its suppliers, agreement with supplier and targets, price history."""
    return Offering.objects.select_related(
        "service", "agreement", "agreement__supplier"
    ).prefetch_related(
        Prefetch("prices", queryset=OfferingPrice.objects.order_by("-valid_from")),
        "service__suppliers",
        "agreement__targets",
    )
