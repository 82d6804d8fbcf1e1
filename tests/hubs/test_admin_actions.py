"""Hubs and their stock changed in the Django admin go through the hubs' actions: the models'
rules beside the fields, nothing written on an error, and every write in the audit log."""

import pytest
from django.test import Client
from django.urls import reverse as django_reverse

from demo.data.calendars import OFFICE, load_calendars
from services.audit.models import AuditEvent
from services.hubs.models import Hub, HubService, StockItem
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


@pytest.fixture
def client(federation) -> Client:
    user = User.objects.create_superuser(username="hub-keeper", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _page(client: Client, url: str) -> dict:
    """What the browser posts back for the page as it is."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.total_form_count())
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for i, row in enumerate(formset.forms):
            if row.instance.pk:
                data[f"{formset.prefix}-{i}-id"] = row.instance.pk
    return data


def test_a_hub_and_its_stock_are_written_by_the_actions(client):
    calendar = load_calendars()[OFFICE]
    url = reverse("admin:hubs_hub_add")
    data = _page(client, url)
    data.update(
        name="Servicepunkt Luleå",
        county="BD",
        street_address="Storgatan 1",
        postal_code="972 31",
        city="Luleå",
        calendar=calendar.pk,
        slot_minutes="2",  # below the model's minimum of 5
        capacity="2",
        services=HubService.PICK_UP,
        is_active="on",
    )
    # a rule of the model: beside its field, and nothing written or audited
    page = client.post(url, data)
    assert page.status_code == 200
    assert "slot_minutes" in page.context["adminform"].form.errors
    assert not Hub.objects.filter(name="Servicepunkt Luleå").exists()
    assert not AuditEvent.objects.filter(action__startswith="hubs.").exists()
    # a good hub, with one stock item on its page
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data.update(
        {
            "slot_minutes": "20",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-serial_number": "SN-LULEA-1",
            f"{prefix}-0-model": "Lånedator 14",
            f"{prefix}-0-kind": StockItem._meta.get_field("kind").choices[0][0],
            f"{prefix}-0-state": StockItem._meta.get_field("state").choices[0][0],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hub = Hub.objects.get(name="Servicepunkt Luleå")
    assert list(hub.stock.values_list("serial_number", flat=True)) == ["SN-LULEA-1"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hubs.hub.created", "hubs.stock.created"} <= actions
    # deleting goes through the action too (the stock first: the database keeps it)
    item = hub.stock.get()
    client.post(reverse("admin:hubs_stockitem_delete", args=[item.pk]), {"post": "yes"})
    assert not StockItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="hubs.stock.deleted").exists()
