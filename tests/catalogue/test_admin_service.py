"""A service changed in the Django admin goes through the catalogue's actions, as in the API:
retiring it retires its offerings, a retired service stays retired, and the admin is open to
those the actions allow."""

import pytest
from django.test import Client
from django.urls import reverse

from services.audit.models import AuditEvent
from services.catalogue.models import Lifecycle, Offering, Service
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.catalogue import make_catalogue
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(role: str | None) -> Client:
    user = User.objects.create_user(username=f"staff-{role}", password=PASSWORD, is_staff=True)
    user.is_superuser = True  # the admin's own permissions allow everything: the actions decide
    user.save()
    if role:
        RoleGrant.objects.create(user=user, role=role)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _post(client: Client, service: Service, **changes):
    data = {
        "name": service.name,
        "description": service.description,
        "category": service.category,
        "owner": service.owner,
        "suppliers": [s.pk for s in service.suppliers.all()],
        "lifecycle": service.lifecycle,
        **changes,
    }
    url = reverse("admin:catalogue_service_change", args=[service.pk], urlconf="routes.central")
    return client.post(url, data)


def test_retiring_a_service_in_the_admin_retires_its_offerings(federation):
    cat = make_catalogue(offerings=2)
    client = _client(Role.CATALOGUE_MANAGER)
    response = _post(client, cat.service, lifecycle=Lifecycle.RETIRED)
    assert response.status_code == 302
    assert Service.objects.get(pk=cat.service.pk).lifecycle == Lifecycle.RETIRED
    offerings = Offering.objects.filter(service=cat.service)
    assert set(offerings.values_list("lifecycle", flat=True)) == {Lifecycle.RETIRED}
    assert AuditEvent.objects.filter(action="catalogue.offering.retired").count() == 2
    assert AuditEvent.objects.filter(action="catalogue.service.updated").count() == 1


def test_a_retired_service_stays_retired_in_the_admin(federation):
    cat = make_catalogue(offerings=1)
    Service.objects.filter(pk=cat.service.pk).update(lifecycle=Lifecycle.RETIRED)
    cat.service.refresh_from_db()
    response = _post(_client(Role.CATALOGUE_MANAGER), cat.service, lifecycle=Lifecycle.ACTIVE)
    # the form says why, beside the field, and nothing changes
    assert response.status_code == 200
    assert "lifecycle" in response.context["adminform"].form.errors
    assert Service.objects.get(pk=cat.service.pk).lifecycle == Lifecycle.RETIRED


def test_the_admin_writes_only_for_those_the_actions_allow(federation):
    cat = make_catalogue(offerings=1)
    # a superuser without a catalogue role is refused, and nothing changes
    response = _post(_client(None), cat.service, owner="Someone else")
    assert response.status_code == 403
    assert Service.objects.get(pk=cat.service.pk).owner == cat.service.owner
    # and a service is never deleted in the admin (it is retired)
    url = reverse("admin:catalogue_service_delete", args=[cat.service.pk], urlconf="routes.central")
    assert _client(Role.PLATFORM_ADMIN).post(url, {"post": "yes"}).status_code == 403
    assert Service.objects.filter(pk=cat.service.pk).exists()


def _agreement_form(agreement, targets: dict[int, tuple[int, int]], **changes) -> dict:
    data = {
        "name": agreement.name,
        "kind": agreement.kind,
        "supplier": agreement.supplier_id or "",
        "availability_percent": str(agreement.availability_percent),
        "support_hours": agreement.support_hours,
        "targets-TOTAL_FORMS": 4,
        "targets-INITIAL_FORMS": 4,
        "targets-MIN_NUM_FORMS": 4,
        "targets-MAX_NUM_FORMS": 4,
        **changes,
    }
    for i, target in enumerate(agreement.targets.order_by("priority")):
        response, resolution = targets.get(target.priority, (60, 480))
        data[f"targets-{i}-id"] = target.pk
        data[f"targets-{i}-agreement"] = agreement.pk
        data[f"targets-{i}-priority"] = target.priority
        data[f"targets-{i}-response_minutes"] = response
        data[f"targets-{i}-resolution_minutes"] = resolution
    return data


def test_agreement_targets_in_the_admin_are_written_by_the_action(federation):
    cat = make_catalogue(offerings=0)
    client = _client(Role.CATALOGUE_MANAGER)
    url = reverse("admin:catalogue_agreement_change", args=[cat.ola.pk], urlconf="routes.central")
    # a response target longer than the resolution target is refused, and nothing changes
    before = list(cat.ola.targets.values_list("priority", "response_minutes"))
    response = client.post(url, _agreement_form(cat.ola, {1: (600, 60)}))
    assert response.status_code == 200
    assert list(cat.ola.targets.values_list("priority", "response_minutes")) == before
    # a good change is written by update_agreement, with its audit event
    response = client.post(url, _agreement_form(cat.ola, {1: (15, 120)}))
    assert response.status_code == 302
    assert cat.ola.targets.get(priority=1).resolution_minutes == 120
    event = AuditEvent.objects.get(action="catalogue.agreement.updated")
    assert "targets" in event.changes
