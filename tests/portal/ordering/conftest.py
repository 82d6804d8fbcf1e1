"""Fixtures of the ordering pages: the small test catalogue, a second admin of alpha, and
orders placed through the real actions."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.ordering import actions, fulfilment, quotes
from services.ordering.models import Budget
from services.people.models import Person
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.ordering.catalogue import build_catalogue


@pytest.fixture
def cat(db):
    return build_catalogue(prefix="p")


@pytest.fixture
def admin2(federation):
    """A second admin of alpha, with a person record (names show in the audit trail)."""
    user = User.objects.create_user(username="alpha-admin2", password="x")
    RoleGrant.objects.create(user=user, role=Role.AGENCY_ADMIN, agency=federation.alpha)
    with schema_context(federation.alpha.schema_name):
        Person.objects.create(user_id=user.pk, name="Second Admin")
    return user


@pytest.fixture
def budget(federation):
    with schema_context(federation.alpha.schema_name):
        return Budget.objects.create(year=timezone.localdate().year, amount_ore=100_000_000)


def place(federation, offering, quantity, agency=None, user=None):
    agency = agency or federation.alpha
    user = user or federation.user(f"{agency.slug}-admin")
    return actions.place_order(agency, user, [quotes.LineRequest(offering.pk, quantity)])


def subscribe(federation, offering, quantity, agency=None):
    """An active subscription: a small order, fulfilled by the desk."""
    agency = agency or federation.alpha
    order = place(federation, offering, quantity, agency)
    fulfilment.fulfil_order(agency, federation.user("desk"), order.pk)
    with schema_context(agency.schema_name):
        return order.lines.get().subscription
