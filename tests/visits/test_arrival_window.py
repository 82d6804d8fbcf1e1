"""A technician may arrive (and see the address, phone and notes) only within the arrival
window: SAMNAV_ARRIVAL_EARLY_MINUTES (60) before the booked start until the booked end. The
demo books its visits within office hours, whatever hour it is loaded at."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from config import testclock
from demo.data import visits as demo
from services.field.visits.models import Visit
from services.people.models import Person
from services.support import actions as support
from services.support.models import Channel
from tests.graphql import gql
from tests.visits.fixtures import at
from tests.visits.test_views import ARRIVE, MY, cid, dispatched

pytestmark = pytest.mark.django_db

HIDDEN = ("streetAddress", "contactPhone", "notes")


def _arrive(federation, visit, tech):
    return gql(ARRIVE, {"v": cid(federation.alpha, visit)}, user=tech).data["arriveVisit"]


def test_arrival_is_refused_outside_the_window_and_the_address_stays_hidden(federation, fld):
    # given tech booked for Monday 09:00-11:00
    visit = dispatched(federation, fld, tech="tech")
    tech = federation.user("tech")
    # when tech tries to arrive at 23:40 the evening before, or at 07:59
    for moment in (at(fld.monday - dt.timedelta(days=1), 23, 40), at(fld.monday, 7, 59)):
        testclock.rewind(moment)
        r = _arrive(federation, visit, tech)
        # then it is refused, naming the visit and the window, and nothing is shown
        assert r["visit"] is None and r["errors"] == [{"code": "OUTSIDE_ARRIVAL_WINDOW"}]
        [v] = gql(MY, user=tech).data["myVisits"]
        assert (v["active"], *[v[k] for k in HIDDEN]) == (False, None, None, None)
    with schema_context(federation.alpha.schema_name):
        assert Visit.objects.get(pk=visit.pk).state == "dispatched"
    # when the window opens (an hour before the start), the address is shown and arrival works
    testclock.rewind(at(fld.monday, 8, 0))
    [v] = gql(MY, user=tech).data["myVisits"]
    assert (v["active"], v["streetAddress"]) == (True, "Hemvägen 2")
    assert _arrive(federation, visit, tech) == {
        "visit": {"state": "ARRIVED", "streetAddress": "Hemvägen 2"},
        "errors": [],
    }


def test_arrival_after_the_booked_end_is_refused_with_the_window_in_the_message(federation, fld):
    from django.core.exceptions import ValidationError

    from services.field.visits import actions

    visit = dispatched(federation, fld, tech="tech")
    testclock.rewind(at(fld.monday, 11, 1))
    with pytest.raises(ValidationError) as caught:
        actions.mark_arrived(federation.alpha, federation.user("tech"), visit.pk)
    [error] = caught.value.error_dict["visit"]
    assert error.code == "outside_arrival_window"
    assert f"{fld.monday:%Y-%m-%d} 08:00" in error.messages[0]
    assert f"{fld.monday:%Y-%m-%d} 11:00" in error.messages[0]


@pytest.mark.parametrize("hour", [(22, 33), (1, 28), (10, 30)])
def test_the_demo_books_its_visits_within_office_hours_whatever_the_hour(
    federation, monkeypatch, hour
):
    # given the demo loaded late in the evening, at night, or in the morning of a weekday
    wednesday = at(dt.date(2026, 11, 18), *hour)
    testclock.rewind(wednesday)
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
    from demo.data.technicians import load_technicians

    load_technicians("pw")
    assert demo.load_agency_visits(alpha, federation.user("desk")) == 3
    # then every booked or asked-for interval lies within 09:00-16:00 on one weekday, and the
    # done visit lies in the past: arrived within its window, finished before now
    with schema_context(alpha.schema_name):
        visits = list(Visit.objects.order_by("pk").prefetch_related("windows"))
        for visit in visits:
            spans = [(w.starts_at, w.ends_at) for w in visit.windows.all()]
            if visit.confirmed_start:
                spans.append((visit.confirmed_start, visit.confirmed_end))
            for start, end in spans:
                start, end = timezone.localtime(start), timezone.localtime(end)
                assert start.date() == end.date() and start.weekday() < 5
                assert dt.time(9) <= start.time() and end.time() <= dt.time(16)
        done = visits[2]
        assert done.state == "done"
        window = done.arrival_window()
        assert window is not None and window[0] <= done.arrived_at <= window[1]
        assert done.finished_at <= timezone.now()
