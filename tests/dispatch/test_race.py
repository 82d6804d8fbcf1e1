"""Two dispatchers, one technician, overlapping visits of two agencies, at the same moment:
one booking wins, the other is refused. Real concurrent transactions (tests/concurrency.py),
so the setup is committed and removed afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from services.calendars.models import BusinessCalendar
from services.crossindex.models import IndexEntry
from services.field.models import Booking, Technician, VisitDriver
from services.field.visits import actions
from services.field.visits.models import Visit
from tenants.models import User
from tests.concurrency import clear_outboxes, in_thread, run_together
from tests.visits.fixtures import build_field, request

pytestmark = pytest.mark.django_db


def _setup(federation):
    fld = build_field(federation, prefix="rc")
    visits = [
        request(federation, fld, "alpha-staff", windows=fld.windows((0, 9, 11))),
        request(federation, fld, "beta-staff", windows=fld.windows((0, 10, 12))),
    ]
    return fld, visits


def _cleanup(federation):
    # DELETE, not TRUNCATE: TRUNCATE would wait for the test transaction's read locks.
    with connection.cursor() as cur:
        for agency in (federation.alpha, federation.beta):
            for table in (
                "visits_visitwindow",
                "visits_visit",
                "support_ticketmessage",
                "support_clockevent",
                "support_ticket",
                "people_person",
            ):
                cur.execute(f"DELETE FROM {agency.schema_name}.{table}")
    IndexEntry.objects.filter(agency__in=[federation.alpha, federation.beta]).delete()
    Booking.objects.all().delete()
    VisitDriver.objects.all().delete()
    Technician.objects.all().delete()
    BusinessCalendar.objects.filter(name__startswith="rc ").delete()
    User.objects.filter(username__startswith="rc-").delete()
    clear_outboxes(federation.alpha, federation.beta)


@pytest.fixture
def committed(federation):
    try:
        yield in_thread(lambda: _setup(federation))
    finally:
        in_thread(lambda: _cleanup(federation))


def test_two_dispatchers_cannot_double_book_one_technician(federation, committed):
    fld, visits = committed
    agencies = [federation.alpha, federation.beta]
    desk, tech = federation.user("desk"), fld.techs["rc-ab"]
    windows = []
    for agency, visit in zip(agencies, visits, strict=True):
        with schema_context(agency.schema_name):
            windows.append(visit.windows.get().pk)

    # when both dispatch rc-ab at once, alpha's 9-11 and beta's 10-12
    results = run_together(
        2,
        lambda i: actions.dispatch_visit(
            agencies[i], desk, visits[i].pk, technician_id=tech.pk, window_id=windows[i]
        ),
    )
    # then exactly one is booked, the other refused as busy
    booked = [r for r in results if isinstance(r, Visit)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(booked), len(refused)) == (1, 1), results
    assert refused[0].error_dict["technician"][0].code == "technician_busy"
    assert Booking.objects.filter(technician=tech).count() == 1
    states = []
    for agency, visit in zip(agencies, visits, strict=True):
        with schema_context(agency.schema_name):
            states.append(Visit.objects.get(pk=visit.pk).state)
    assert sorted(states) == ["dispatched", "requested"]
