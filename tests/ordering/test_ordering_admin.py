"""The agency host's admin shows the agency's orders and audit trail to its admins only."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.ordering.models import Order, OrderEvent

pytestmark = pytest.mark.django_db


def _order(agency, reason):
    with schema_context(agency.schema_name):
        o = Order.objects.create(
            state="rejected",
            placed_by_id=1,
            monthly_ore=1,
            one_off_ore=0,
            year_effect_ore=1,
            budget_year=2026,
            deliver_by="2026-12-01",
        )
        OrderEvent.objects.create(order=o, action="rejected", reason=reason)
        return o


def test_agency_admin_reads_the_audit_trail_of_its_own_agency_only(federation):
    _order(federation.alpha, "Alfas skäl")
    _order(federation.beta, "Betas skäl")
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(federation.user("alpha-admin"))
    page = client.get("/admin/ordering/orderevent/")
    assert page.status_code == 200
    assert "Alfas skäl" in page.content.decode()
    assert "Betas skäl" not in page.content.decode()
    # read-only: no add page
    assert client.get("/admin/ordering/order/add/").status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("alpha-staff", 302), ("beta-admin", 403), ("root", 403)]
)
def test_others_do_not_get_the_agency_admin(federation, who, status):
    _order(federation.alpha, "Alfas skäl")
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(federation.user(who))
    page = client.get("/admin/ordering/orderevent/")
    assert page.status_code == status
    assert "Alfas skäl" not in page.content.decode()
