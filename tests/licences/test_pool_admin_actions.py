"""A licence pool added in the Django admin is created by the action, as in the API (issue 17):
its rules, its audit event, and only for those the action allows."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse as django_reverse
from django.utils import timezone

from services.audit.models import AuditEvent
from services.catalogue.models import Supplier
from services.licences.models import LicencePool
from tenants.models import RoleGrant, User
from tenants.roles import Role

pytestmark = pytest.mark.django_db


def _client(role: str | None) -> Client:
    user = User.objects.create_superuser(f"pool-admin-{role}", "pw")
    if role:
        RoleGrant.objects.create(user=user, role=role)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _form(supplier: Supplier, **changes) -> dict:
    today = timezone.localdate()
    return {
        "product": "Ritprogram",
        "supplier": supplier.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=730)).isoformat(),
        "renewal_on": (today + dt.timedelta(days=640)).isoformat(),
        "total_seats": "10",
        "seat_monthly_ore": "2500",
        "true_up_max_seats": "0",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
        **changes,
    }


def test_a_pool_added_in_the_admin_is_the_actions(federation):
    supplier = Supplier.objects.create(name="Ritbolaget AB")
    url = django_reverse("admin:licences_licencepool_add", urlconf="routes.central")
    # a superuser without a catalogue role is refused by the action; nothing is written
    assert _client(None).post(url, _form(supplier)).status_code == 403
    assert not LicencePool.objects.exists()
    # a catalogue manager adds it, and the action audits it (as the API's createLicencePool)
    response = _client(Role.CATALOGUE_MANAGER).post(url, _form(supplier))
    assert response.status_code == 302
    pool = LicencePool.objects.get(product="Ritprogram")
    assert (
        AuditEvent.objects.filter(action="licence_pool.created", object_id=str(pool.pk)).count()
        == 1
    )
