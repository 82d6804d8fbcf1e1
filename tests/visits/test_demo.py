"""The demo technicians and visits: made through the real actions, idempotent."""

import pytest
from django_tenants.utils import schema_context

from demo.data import visits as demo
from demo.data.technicians import load_technicians, nearby
from services.field.models import Technician, VisitDriver
from services.field.visits.models import Visit
from services.people.models import Person
from services.support import actions as support
from services.support.models import Channel

pytestmark = pytest.mark.django_db


def test_demo_technicians_and_visits_load_once(federation, monkeypatch):
    # given alpha as one of the demo's visit agencies, in Stockholm county, with open tickets
    monkeypatch.setattr(demo, "AGENCIES", ("alpha",))
    alpha = federation.alpha
    alpha.county = "AB"
    alpha.save(update_fields=["county"])
    with schema_context(alpha.schema_name):
        person = Person.objects.create(name="Demo", email="demo@alpha.example")
    for i in range(3):
        support.open_ticket(
            alpha, person, support.NewTicket(subject=f"Demo {i}"), channel=Channel.WEB
        )
    # when the demo loads twice
    first = load_technicians("pw")
    again = load_technicians("pw")
    made = demo.load_agency_visits(alpha, federation.user("desk"))
    assert demo.load_agency_visits(alpha, federation.user("desk")) == 0
    # then seven county technicians exist once, each covering their neighbourhood
    assert [t.pk for t in first] == [t.pk for t in again]
    assert Technician.objects.count() == 7
    ab = Technician.objects.get(user__username="tekniker-ab")
    assert ab.counties == nearby("AB") and "AB" in ab.counties and "BD" not in ab.counties
    # and alpha has a requested, a dispatched and a done visit, the done one counted
    assert made == 3
    with schema_context(alpha.schema_name):
        states = list(Visit.objects.order_by("pk").values_list("state", flat=True))
    assert states == ["requested", "dispatched", "done"]
    driver = VisitDriver.objects.get(agency=alpha)
    assert (driver.visits, driver.minutes_on_site, driver.minutes_travel) == (1, 55, 35)
