"""Fixtures of the central administration pages and the agency's people pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from services.licences.models import AgencyQuota, LicencePool
from services.people.models import Person
from tests.ordering.catalogue import build_catalogue


@pytest.fixture
def cat(db):
    return build_catalogue(prefix="adm")


def make_pool(cat, product: str, total: int = 10) -> LicencePool:
    return LicencePool.objects.create(
        product=product,
        supplier=cat.mail.service.suppliers.first(),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        renewal_on=dt.date(2028, 10, 1),
        total_seats=total,
        seat_monthly_ore=9_000,
    )


def hold(pool, agency, quota: int, held: int, assigned: int = 0) -> AgencyQuota:
    """An agency's quota row with `held` seats ordered (as placing orders would leave it)."""
    return AgencyQuota.objects.create(
        pool=pool, agency=agency, quota_seats=quota, held_seats=held, assigned_seats=assigned
    )


def add_people(agency, names, **extra) -> list[Person]:
    with schema_context(agency.schema_name):
        return [Person.objects.create(name=name, **extra) for name in names]
