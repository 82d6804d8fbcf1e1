"""Offerings, price versions, relations and suppliers changed in the Django admin go through the
catalogue's actions, as in the API (issue 17): the same rules, the same audit events, and only
for those the actions allow. Nothing is deleted there."""

import pytest
from django.test import Client
from django.urls import reverse as django_reverse

from services.audit.models import AuditEvent
from services.catalogue.models import Lifecycle, Offering, OfferingRelation, RelationKind, Supplier
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.catalogue import make_catalogue
from tests.catalogue.test_admin import change_form_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


def _client(role: str | None) -> Client:
    user = User.objects.create_superuser(username=f"admin-{role}", password=PASSWORD)
    if role:
        RoleGrant.objects.create(user=user, role=role)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_a_retired_offering_stays_retired_in_the_admin(federation):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    Offering.objects.filter(pk=offering.pk).update(lifecycle=Lifecycle.RETIRED)
    client = _client(Role.CATALOGUE_MANAGER)
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])
    data = change_form_data(client.get(url), Offering.objects.get(pk=offering.pk))
    data["lifecycle"] = Lifecycle.ACTIVE
    response = client.post(url, data)
    # the action's rule, beside the field; nothing written
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lifecycle"]
    assert Offering.objects.get(pk=offering.pk).lifecycle == Lifecycle.RETIRED


def test_a_relation_added_on_the_offering_page_is_the_actions(federation):
    cat = make_catalogue(offerings=2)
    first, second = cat.offerings
    client = _client(Role.CATALOGUE_MANAGER)
    url = reverse("admin:catalogue_offering_change", args=[first.pk])
    data = change_form_data(client.get(url), first)
    data["prices-TOTAL_FORMS"] = data["prices-INITIAL_FORMS"]  # no new price version
    data.update({"relations-TOTAL_FORMS": "1", "relations-0-other": second.pk})
    data["relations-0-kind"] = RelationKind.REQUIRES
    response = client.post(url, data)
    assert response.status_code == 302, [
        (f.prefix, f.errors)
        for inline in response.context["inline_admin_formsets"]
        for f in [inline.formset]
    ]
    assert OfferingRelation.objects.filter(
        offering=first, other=second, kind=RelationKind.REQUIRES
    ).exists()
    event = AuditEvent.objects.get(action="catalogue.relation.set")
    assert event.object_id == str(first.pk)


def test_a_supplier_is_written_by_the_action_and_only_for_catalogue_managers(federation):
    data = {"name": "Nordljus Test AB", "org_number": "", "contract_reference": "K-1"}
    # a superuser without a catalogue role is refused by the action, and nothing is written
    refused = _client(None).post(reverse("admin:catalogue_supplier_add"), data)
    assert refused.status_code == 403
    assert not Supplier.objects.filter(name="Nordljus Test AB").exists()
    # a catalogue manager adds it, audited as the API's action audits
    client = _client(Role.CATALOGUE_MANAGER)
    assert client.post(reverse("admin:catalogue_supplier_add"), data).status_code == 302
    supplier = Supplier.objects.get(name="Nordljus Test AB")
    assert AuditEvent.objects.filter(
        action="catalogue.supplier.created", object_id=str(supplier.pk)
    ).exists()
    # and nothing is deleted in the admin
    delete = client.post(reverse("admin:catalogue_supplier_delete", args=[supplier.pk]))
    assert delete.status_code == 403
    assert Supplier.objects.filter(pk=supplier.pk).exists()
