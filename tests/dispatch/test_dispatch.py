"""Suggesting and dispatching technicians: coverage, calendars, bookings, distance order,
notifications on the requester's channel, and the cost driver of finished visits."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from config import testclock
from services.crossindex.models import IndexEntry, IndexKind
from services.field.admin import TechnicianForm
from services.field.models import Booking, VisitDriver
from services.field.visits import actions
from services.field.visits.models import Visit
from services.outbox.sms import RecordingSmsProvider
from services.support.models import Channel, Ticket, TicketMessage
from tests.graphql import gql
from tests.visits.fixtures import at, request, technician

pytestmark = pytest.mark.django_db

SUGGEST = """query($id: ID!) { suggestTechnicians(visit: $id) {
  technician { username homeCounty } distanceKm freeWindows { id startsAt } } }"""
DISPATCH = """mutation($v: ID!, $t: ID!, $w: ID!) {
  dispatchVisit(visit: $v, technician: $t, window: $w) {
    visitId confirmedStart confirmedEnd technician { username } errors { field code } } }"""


def cid(agency, visit):
    return to_global_id("AgencyVisit", f"{agency.pk}.{visit.pk}")


def windows_of(agency, visit):
    with schema_context(agency.schema_name):
        return list(visit.windows.order_by("starts_at"))


def suggested(federation, fld, visit, agency=None):
    return actions.suggest_technicians(agency or federation.alpha, visit)


def test_suggestions_cover_the_county_respect_calendars_and_bookings_nearest_first(federation, fld):
    # given a Stockholm visit on Saturday 10-12 or Monday 9-11
    visit = request(federation, fld, windows=fld.windows((5, 10, 12), (0, 9, 11)))
    monday, saturday = [(w.starts_at, w.ends_at) for w in windows_of(federation.alpha, visit)]
    # and t-m booked for another agency's visit overlapping Monday
    Booking.objects.create(
        technician=fld.techs["t-m"],
        agency=federation.beta,
        visit_id=1,
        starts_at=monday[0] + dt.timedelta(hours=1),
        ends_at=monday[1] + dt.timedelta(hours=1),
    )
    # when dispatch asks
    found = suggested(federation, fld, visit)
    # then: t-o does not cover AB; t-office works weekdays only; t-m is busy on Monday;
    # home in AB (0 km) first, by username; Uppsala (64 km); Malmö last
    assert [(s.technician.user.username, s.distance_km, list(s.free_windows)) for s in found] == [
        ("t-ab", 0.0, [monday, saturday]),
        ("t-office", 0.0, [monday]),
        ("tech", 63.6, [monday, saturday]),
        ("t-m", 512.8, [saturday]),
    ]


def test_suggestions_through_graphql_are_for_dispatchers_on_the_central_host(federation, fld):
    visit = request(federation, fld, windows=fld.windows((0, 9, 11)))
    [window] = windows_of(federation.alpha, visit)
    r = gql(SUGGEST, {"id": cid(federation.alpha, visit)}, user=federation.user("desk"))
    assert [s["technician"]["username"] for s in r.data["suggestTechnicians"]] == [
        "t-ab",
        "t-office",
        "tech",
        "t-m",
    ]
    assert r.data["suggestTechnicians"][0]["freeWindows"][0]["id"] == to_global_id(
        "VisitWindow", window.pk
    )
    # agency admins (even alpha's) and technicians may not ask; beta's id guess finds nothing
    for who, agency in (("alpha-admin", federation.alpha), ("tech", None)):
        r = gql(
            SUGGEST, {"id": cid(federation.alpha, visit)}, agency=agency, user=federation.user(who)
        )
        assert r.data is None and r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    guess = to_global_id("AgencyVisit", f"{federation.beta.pk}.{visit.pk}")
    assert gql(SUGGEST, {"id": guess}, user=federation.user("desk")).data == {
        "suggestTechnicians": []
    }


def dispatch(federation, fld, visit, tech="t-ab", window=0, who="desk", agency=None):
    agency = agency or federation.alpha
    w = windows_of(agency, visit)[window]
    return gql(
        DISPATCH,
        {
            "v": cid(agency, visit),
            "t": to_global_id("Technician", fld.techs[tech].pk),
            "w": to_global_id("VisitWindow", w.pk),
        },
        user=federation.user(who),
    )


def test_dispatch_books_the_technician_and_mails_the_requester(
    federation, fld, django_capture_on_commit_callbacks
):
    # given a requested visit of alpha's staff member (ticket by web, an e-mail address)
    visit = request(federation, fld)
    first = windows_of(federation.alpha, visit)[0]
    mail.outbox.clear()
    # when the service desk dispatches t-ab for the first window
    with django_capture_on_commit_callbacks(execute=True):
        r = dispatch(federation, fld, visit).data["dispatchVisit"]
    # then the visit is booked for that window
    assert r["errors"] == []
    assert r["technician"] == {"username": "t-ab"}
    assert dt.datetime.fromisoformat(r["confirmedStart"]) == first.starts_at
    with schema_context(federation.alpha.schema_name):
        v = Visit.objects.get(pk=visit.pk)
        messages = list(TicketMessage.objects.filter(ticket_id=v.ticket_id).order_by("pk"))
    assert (v.state, v.technician_id) == ("dispatched", fld.techs["t-ab"].user_id)
    booking = Booking.objects.get(agency=federation.alpha, visit_id=visit.pk)
    assert (booking.technician, booking.starts_at, booking.ends_at) == (
        fld.techs["t-ab"],
        first.starts_at,
        first.ends_at,
    )
    entry = IndexEntry.objects.get(kind=IndexKind.VISIT, agency=federation.alpha)
    assert (entry.state, entry.assignee_id, entry.due_at) == (
        "dispatched",
        fld.techs["t-ab"].user_id,
        first.starts_at,
    )
    # and the requester got one mail, with the ticket's reference, also noted on the ticket
    start = timezone.localtime(first.starts_at)
    text = (
        f"A technician will visit you on {start:%Y-%m-%d} between {start:%H:%M} and "
        f"{timezone.localtime(first.ends_at):%H:%M} about your ticket [SN#alpha-{v.ticket_id}]."
    )
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (
            ["staff@alpha.example"],
            f"Visit booked: Skrivaren hos alpha-staff [SN#alpha-{v.ticket_id}]",
            text,
        )
    ]
    assert mail.outbox[0].extra_headers["Message-ID"] == messages[-1].email_message_id
    assert (messages[-1].body, messages[-1].is_internal) == (text, False)


def test_a_requester_who_wrote_by_sms_is_told_by_sms(
    federation, fld, settings, django_capture_on_commit_callbacks
):
    # given a ticket that came by SMS
    settings.SAMNAV_SMS_PROVIDER = "recording"
    RecordingSmsProvider.outbox.clear()
    with schema_context(federation.alpha.schema_name):
        Ticket.objects.filter(pk=fld.tickets["alpha-staff"]).update(channel=Channel.SMS)
    visit = request(federation, fld)
    mail.outbox.clear()
    # when it is dispatched
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch(federation, fld, visit).data["dispatchVisit"]["errors"] == []
    # then one SMS went to the requester's number, and no mail
    assert [s.to for s in RecordingSmsProvider.outbox] == ["+46701234525"]
    assert RecordingSmsProvider.outbox[0].text.startswith("A technician will visit you on ")
    assert mail.outbox == []
    RecordingSmsProvider.outbox.clear()


def test_dispatch_refuses_what_it_must(federation, fld):
    visit = request(federation, fld, windows=fld.windows((5, 10, 12), (0, 9, 11)))
    other = request(federation, fld, "beta-staff", windows=fld.windows((0, 10, 12)))

    def codes(r):
        return [(e["field"], e["code"]) for e in r.data["dispatchVisit"]["errors"]]

    # a technician who does not cover the county; one outside working hours (Saturday)
    assert codes(dispatch(federation, fld, visit, tech="t-o")) == [("technician", "NOT_COVERED")]
    assert codes(dispatch(federation, fld, visit, tech="t-office", window=1)) == [
        ("window", "OUTSIDE_HOURS")
    ]
    # a technician booked (by beta) for an overlapping window
    assert codes(dispatch(federation, fld, other, agency=federation.beta)) == []
    assert codes(dispatch(federation, fld, visit, window=0)) == [("technician", "TECHNICIAN_BUSY")]
    # agency admins and technicians may not dispatch
    for who in ("alpha-admin", "beta-admin", "tech"):
        assert codes(dispatch(federation, fld, visit, window=1, tech="tech", who=who)) == [
            (None, "PERMISSION_DENIED")
        ]
    # beta's admin guessing alpha's visit through beta's host gets nothing either
    with pytest.raises(PermissionDenied):
        actions.dispatch_visit(
            federation.alpha,
            federation.user("beta-admin"),
            visit.pk,
            technician_id=fld.techs["tech"].pk,
            window_id=windows_of(federation.alpha, visit)[1].pk,
        )
    # a guessed central id (alpha's visit number under beta) names no visit of beta's
    guess = to_global_id("AgencyVisit", f"{federation.beta.pk}.{visit.pk + 1000}")
    r = gql(
        DISPATCH,
        {
            "v": guess,
            "t": to_global_id("Technician", fld.techs["tech"].pk),
            "w": to_global_id("VisitWindow", 1),
        },
        user=federation.user("desk"),
    )
    assert codes(r) == [("visit", "NOT_FOUND")]
    # then alpha's visit is still waiting, unbooked
    with schema_context(federation.alpha.schema_name):
        assert Visit.objects.get(pk=visit.pk).state == "requested"
    assert not Booking.objects.filter(agency=federation.alpha).exists()


def _arrive_and_complete(federation, fld, visit, tech, **kwargs):
    user = fld.techs[tech].user
    testclock.rewind(at(fld.monday, 9, 5))  # the booked morning (arrival window)
    actions.mark_arrived(federation.alpha, user, visit.pk)
    return actions.complete_visit(federation.alpha, user, visit.pk, **kwargs)


def test_finished_visits_count_once_in_their_agencys_month(federation, fld):
    desk = federation.user("desk")
    a = request(federation, fld, windows=fld.windows((0, 9, 11)))
    b = request(federation, fld, "alpha-admin", windows=fld.windows((1, 9, 11)))
    for visit, tech in ((a, "t-ab"), (b, "tech")):
        actions.dispatch_visit(
            federation.alpha,
            desk,
            visit.pk,
            technician_id=fld.techs[tech].pk,
            window_id=windows_of(federation.alpha, visit)[0].pk,
        )
    # when t-ab finishes one (45 min on site, 30 travelling) and tech could not do the other
    # (never arrived: nobody home, 20 min travelling)
    done = _arrive_and_complete(
        federation, fld, a, "t-ab", done=True, travel_minutes=30, on_site_minutes=45
    )
    failed = actions.complete_visit(
        federation.alpha,
        federation.user("tech"),
        b.pk,
        done=False,
        travel_minutes=20,
        reason="Ingen hemma",
    )
    # then alpha's driver of this month holds both, with exact minutes
    month = timezone.localdate().replace(day=1)
    driver = VisitDriver.objects.get(agency=federation.alpha)
    assert (driver.month, driver.visits, driver.minutes_on_site, driver.minutes_travel) == (
        month,
        2,
        45,
        50,
    )
    assert (done.state, failed.state, failed.on_site_minutes, failed.reason) == (
        "done",
        "not_completed",
        0,
        "Ingen hemma",
    )
    # and the bookings are released, the index follows
    assert not Booking.objects.filter(agency=federation.alpha).exists()
    assert sorted(
        IndexEntry.objects.filter(kind=IndexKind.VISIT).values_list("state", flat=True)
    ) == ["done", "not_completed"]
    # when the same visit is completed again, nothing more is counted
    with pytest.raises(ValidationError) as caught:
        actions.complete_visit(
            federation.alpha, fld.techs["t-ab"].user, a.pk, done=True, travel_minutes=5
        )
    assert caught.value.error_dict["visit"][0].code == "invalid_state"
    assert VisitDriver.objects.get(agency=federation.alpha).visits == 2
    assert not VisitDriver.objects.filter(agency=federation.beta).exists()


def test_completing_checks_its_input_and_who_completes(federation, fld):
    visit = request(federation, fld, windows=fld.windows((0, 9, 11)))
    actions.dispatch_visit(
        federation.alpha,
        federation.user("desk"),
        visit.pk,
        technician_id=fld.techs["t-ab"].pk,
        window_id=windows_of(federation.alpha, visit)[0].pk,
    )
    tab = fld.techs["t-ab"].user

    def codes(**kwargs):
        with pytest.raises(ValidationError) as caught:
            actions.complete_visit(federation.alpha, tab, visit.pk, **kwargs)
        return {k: [e.code for e in v] for k, v in caught.value.error_dict.items()}

    # done before arriving; not completed without a reason; minutes out of range
    assert codes(done=True, travel_minutes=10) == {"visit": ["invalid_state"]}
    testclock.rewind(at(fld.monday, 9, 5))  # the booked morning (arrival window)
    actions.mark_arrived(federation.alpha, tab, visit.pk)
    assert codes(done=False, travel_minutes=10) == {"reason": ["required"]}
    assert codes(done=True, travel_minutes=-1, on_site_minutes=2000) == {
        "travel_minutes": ["out_of_range"],
        "on_site_minutes": ["out_of_range"],
    }
    # another technician may not complete it
    with pytest.raises(PermissionDenied):
        actions.complete_visit(
            federation.alpha, federation.user("tech"), visit.pk, done=True, travel_minutes=1
        )
    with schema_context(federation.alpha.schema_name):
        assert Visit.objects.get(pk=visit.pk).state == "arrived"
    assert not VisitDriver.objects.exists()


def test_cancelling_releases_the_booking(federation, fld):
    visit = request(federation, fld, windows=fld.windows((0, 9, 11)))
    actions.dispatch_visit(
        federation.alpha,
        federation.user("desk"),
        visit.pk,
        technician_id=fld.techs["t-ab"].pk,
        window_id=windows_of(federation.alpha, visit)[0].pk,
    )
    # beta's staff cannot cancel alpha's visit; alpha's admin can
    with pytest.raises(PermissionDenied):
        actions.cancel_visit(federation.alpha, federation.user("beta-staff"), visit.pk)
    assert Booking.objects.filter(agency=federation.alpha).count() == 1
    v = actions.cancel_visit(federation.alpha, federation.user("alpha-admin"), visit.pk, "Löst")
    assert (v.state, v.reason) == ("cancelled", "Löst")
    assert not Booking.objects.exists()
    assert IndexEntry.objects.get(kind=IndexKind.VISIT).state == "cancelled"


def test_suggestions_keep_a_constant_number_of_queries(federation, fld):
    visit = request(federation, fld, windows=fld.windows((0, 9, 11)))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            found = actions.suggest_technicians(federation.alpha, visit)
        return len(found), len(ctx.captured_queries)

    # given four technicians covering AB, then ten more on the same two calendars
    small = count()
    for i in range(10):
        technician(f"t-more-{i}", "C", ["AB"], fld.always if i % 2 else fld.office)
    large = count()
    # then the queries are the same in number
    assert (small[0], large[0]) == (4, 14)
    assert small[1] == large[1]


def test_the_admin_form_wants_the_technician_role(federation, fld):
    form = TechnicianForm(
        data={
            "user": federation.user("desk").pk,
            "home_county": "AB",
            "calendar": fld.always.pk,
            "counties": ["C", "AB", "AB"],
            "is_active": "on",
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["user"]
