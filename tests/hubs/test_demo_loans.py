"""The demo's loaners: all in stock at first, none lent to nobody; an agency's demo loan is made
through the loan actions, and an overdue one is listed and reminded."""

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from demo.data import devices as demo
from demo.data.calendars import load_calendars
from demo.data.hubs import load_hubs
from services.devices.models import Handover, Loan
from services.hubs import loan_reminders
from services.hubs.models import StockItem
from tests.hubs import build

pytestmark = pytest.mark.django_db


def test_the_demo_lends_through_the_actions_and_one_loan_is_overdue(federation, monkeypatch):
    build.person(federation.alpha, "Anna Alfa", federation.user("alpha-admin"), "a@x.example")
    build.person(federation.beta, "Bo Beta", federation.user("beta-admin"), "b@x.example")
    monkeypatch.setattr(demo, "LOANS", {"alpha": (-6, 21), "beta": (14, 0)})
    hubs = load_hubs(load_calendars())
    assert not StockItem.objects.filter(state="lent").exists()
    # when the demo devices load for alpha and beta
    for agency in (federation.alpha, federation.beta):
        demo.load_agency_devices(agency, federation.user("desk"), hubs)
    # then each has one loan, to a person of its own, and no loaner is lent to nobody
    lent = StockItem.objects.filter(state="lent")
    assert sorted(lent.values_list("agency__slug", flat=True)) == ["alpha", "beta"]
    assert not StockItem.objects.filter(state="lent", agency__isnull=True).exists()
    today = timezone.localdate()
    with schema_context(federation.alpha.schema_name):
        loan = Loan.objects.select_related("person").get()
        assert loan.person.name == "Anna Alfa" and (today - loan.expected_return).days == 6
        assert Handover.objects.get(device_id=loan.device_id).at == loan.lent_at
    # and alpha's is overdue: listed in public, reminded once
    assert [i.agency.slug for i in loan_reminders.overdue_items(today)] == ["alpha"]
    assert loan_reminders.remind_overdue() == 1
    assert loan_reminders.remind_overdue() == 0
