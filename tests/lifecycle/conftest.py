"""Fixtures for the device lifecycle: the test catalogue with its laptop as the replacement
offering, an addressed admin in alpha and beta, and a device maker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from services.devices.models import Device
from services.people.models import Person
from tests.ordering.catalogue import build_catalogue

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cat(db, settings):
    cat = build_catalogue(prefix="lc")
    settings.SAMNAV_DEVICE_REPLACEMENT_OFFERINGS = {"computer": [cat.laptop_std.code]}
    return cat


@pytest.fixture
def admins(federation, db):
    out = {}
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            for role in ("admin", "staff"):
                user = federation.user(f"{agency.slug}-{role}")
                Person.objects.create(
                    user_id=user.pk,
                    name=f"{role} {agency.slug}",
                    email=f"{role}@{agency.slug}.example",
                )
        out[agency.slug] = f"admin@{agency.slug}.example"
    return out


def device(agency, serial: str, *, warranty=None, planned=None, state="in_use") -> Device:
    """A device of `agency`; dates as days from TODAY."""
    with schema_context(agency.schema_name):
        return Device.objects.create(
            serial_number=serial,
            model="Laptop 14",
            warranty_ends_on=TODAY + dt.timedelta(days=warranty) if warranty is not None else None,
            planned_replacement_on=(
                TODAY + dt.timedelta(days=planned) if planned is not None else None
            ),
            state=state,
        )
