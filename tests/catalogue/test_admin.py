"""The catalogue in the Django admin: pages open, lists do not grow in queries, saves are
audited, and price versions are append-only."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as django_reverse
from django.utils import timezone

from services.audit.models import AuditEvent
from services.catalogue.models import OfferingPrice, RelationKind
from tenants.models import RoleGrant
from tenants.roles import Role
from tests.catalogue import make_catalogue, make_offering, relate
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MODELS = [
    "supplier",
    "agreement",
    "agreementtarget",
    "service",
    "offering",
    "offeringprice",
    "offeringrelation",
]


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


@pytest.fixture
def staff_client(django_user_model):
    # a catalogue manager with the admin's staff rights: the catalogue's actions decide
    user = django_user_model.objects.create_superuser(username="katalogadmin", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.CATALOGUE_MANAGER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.user = user
    return client


def test_every_catalogue_page_opens_for_staff(federation, staff_client):
    cat = make_catalogue(offerings=2)
    relate(cat.offerings[0], RelationKind.REQUIRES, cat.offerings[1])
    for model in MODELS:
        assert staff_client.get(reverse(f"admin:catalogue_{model}_changelist")).status_code == 200
        # targets are added with their agreement (all four, through the action), not alone
        added = 403 if model == "agreementtarget" else 200
        assert staff_client.get(reverse(f"admin:catalogue_{model}_add")).status_code == added
        assert (
            staff_client.get(reverse(f"admin:catalogue_{model}_changelist") + "?q=test").status_code
            == 200
        )
    for model, obj in [
        ("supplier", cat.supplier),
        ("agreement", cat.sla),
        ("service", cat.service),
        ("offering", cat.offerings[0]),
    ]:
        url = reverse(f"admin:catalogue_{model}_change", args=[obj.pk])
        assert staff_client.get(url).status_code == 200


def test_people_without_staff_status_are_sent_to_sign_in(federation):
    client = Client(HTTP_HOST="localhost")
    client.force_login(federation.user("cat"))
    response = client.get(reverse("admin:catalogue_offering_changelist"))
    assert response.status_code == 302


def _list_queries(client, model):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"admin:catalogue_{model}_changelist"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", ["offering", "offeringprice", "offeringrelation", "agreement"])
def test_admin_lists_cost_the_same_queries_for_5_and_50_rows(federation, staff_client, model):
    cat = make_catalogue(offerings=5)
    for a, b in zip(cat.offerings, cat.offerings[1:], strict=False):
        relate(a, RelationKind.REQUIRES, b)
    small = _list_queries(staff_client, model)
    for i in range(45):
        offering = make_offering(cat, f"extra-{i:03d}", agreement=cat.sla)
        relate(offering, RelationKind.REQUIRES, cat.offerings[0])
    large = _list_queries(staff_client, model)
    assert large == small


def test_a_price_added_in_the_admin_is_checked_and_audited(federation, staff_client):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    url = reverse("admin:catalogue_offeringprice_add")
    # a price in the past is refused
    response = staff_client.post(
        url,
        {
            "offering": offering.pk,
            "valid_from": "2001-01-01",
            "monthly_ore": "100",
            "one_off_ore": "0",
        },
    )
    assert response.status_code == 200
    assert OfferingPrice.objects.filter(offering=offering).count() == 1
    # a future one is added and audited
    later = timezone.localdate() + dt.timedelta(days=20)
    response = staff_client.post(
        url,
        {
            "offering": offering.pk,
            "valid_from": later.isoformat(),
            "monthly_ore": "100",
            "one_off_ore": "0",
        },
    )
    assert response.status_code == 302
    price = OfferingPrice.objects.get(offering=offering, valid_from=later)
    # by the action, as in the API: one audit event, on the offering, naming the version
    event = AuditEvent.objects.get(action="catalogue.price.added")
    assert (event.object_id, event.actor_id) == (str(offering.pk), staff_client.user.pk)
    assert event.changes["price_id"] == price.pk
    # and versions cannot be edited afterwards
    change = staff_client.post(
        reverse("admin:catalogue_offeringprice_change", args=[price.pk]),
        {"offering": offering.pk, "valid_from": later.isoformat(), "monthly_ore": "1"},
    )
    assert change.status_code in (302, 403)
    price.refresh_from_db()
    assert price.monthly_ore == 100


def change_form_data(page, offering) -> dict:
    """What the browser posts back for an unchanged offering change form."""
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(service=offering.service_id, agreement=offering.agreement_id)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.total_form_count())
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for i, row in enumerate(formset.forms):
            if row.instance.pk:
                data[f"{formset.prefix}-{i}-id"] = row.instance.pk
                data[f"{formset.prefix}-{i}-offering"] = offering.pk
    return data


def test_the_offering_page_adds_price_versions_by_the_same_rules(federation, staff_client):
    # given an offering with one price since last year
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])
    later = timezone.localdate() + dt.timedelta(days=60)
    for day, status, prices in (("2001-01-01", 200, 1), (later.isoformat(), 302, 2)):
        # when a new version is added in the price inline
        data = change_form_data(staff_client.get(url), offering)
        data.update({"prices-1-valid_from": day, "prices-1-monthly_ore": "5"})
        data["prices-1-one_off_ore"] = "0"
        response = staff_client.post(url, data)
        # then a past day is refused and a future one is stored
        assert response.status_code == status
        assert OfferingPrice.objects.filter(offering=offering).count() == prices
    assert AuditEvent.objects.filter(action="catalogue.price.added").count() == 1
