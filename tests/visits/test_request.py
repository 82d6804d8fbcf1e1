"""Requesting a visit: who may, what the place defaults to, the index row, and bad input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.crossindex.models import IndexEntry, IndexKind
from services.field.visits import actions
from services.field.visits.models import Visit, VisitWindow
from tests.graphql import gql
from tests.visits.fixtures import request

pytestmark = pytest.mark.django_db

REQUEST = """mutation($input: RequestVisitInput!) { requestVisit(input: $input) {
  visitId visit { id state placeKind streetAddress postalCode city county contactPhone ticketId
                  windows { startsAt endsAt } }
  errors { field code message } } }"""


def iso(moment):
    return moment.isoformat()


def visits(agency):
    with schema_context(agency.schema_name):
        return list(Visit.objects.order_by("pk"))


def test_staff_request_a_home_visit_that_defaults_to_their_address(federation, fld):
    # given alpha's staff member with a ticket, and two windows next week
    windows = fld.windows((0, 9, 11), (1, 13, 15))
    # when they request a home visit on alpha's host, giving only the county
    r = gql(
        REQUEST,
        {
            "input": {
                "ticket": to_global_id("Ticket", fld.tickets["alpha-staff"]),
                "place": "HOME",
                "county": "ab",
                "windows": [{"startsAt": iso(s), "endsAt": iso(e)} for s, e in windows],
            }
        },
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    ).data["requestVisit"]
    # then the visit has their address and phone, in Stockholm county, with both windows
    assert r["errors"] == []
    v = r["visit"]
    assert (v["state"], v["placeKind"], v["county"]) == ("REQUESTED", "HOME", "AB")
    assert (v["streetAddress"], v["postalCode"], v["city"]) == ("Hemvägen 2", "11122", "Stad alpha")
    assert v["contactPhone"] == "070-123 45 25"
    assert v["ticketId"] == to_global_id("Ticket", fld.tickets["alpha-staff"])
    assert [dt.datetime.fromisoformat(w["startsAt"]) for w in v["windows"]] == [
        windows[0][0],
        windows[1][0],
    ]
    # and its index row carries state, first start, ticket priority and county: no address
    [visit] = visits(federation.alpha)
    assert r["visitId"] == v["id"] == to_global_id("Visit", visit.pk)
    entry = IndexEntry.objects.get(kind=IndexKind.VISIT, agency=federation.alpha)
    assert (entry.local_id, entry.state, entry.due_at, entry.priority, entry.group) == (
        visit.pk,
        "requested",
        windows[0][0],
        2,
        "AB",
    )
    assert entry.assignee_id is None


def test_an_office_visit_goes_to_the_agencys_county(federation, fld):
    # given alpha's office in Uppsala county
    federation.alpha.county = "C"
    federation.alpha.save(update_fields=["county"])
    # when its admin requests an office visit about the staff member's ticket, no county given
    visit = request(
        federation,
        fld,
        "alpha-admin",
        ticket_of="alpha-staff",
        place_kind="office",
        county="",
        street_address="Storgatan 1",
    )
    # then the county is the agency's and the requester is the ticket's
    assert (visit.county, visit.street_address, visit.city) == ("C", "Storgatan 1", "")
    assert visit.requester_id == fld.people["alpha-staff"].pk


def test_an_office_visit_defaults_to_the_persons_work_address(federation, fld):
    # given the staff member's work address in the people register
    person = fld.people["alpha-staff"]
    with schema_context(federation.alpha.schema_name):
        type(person).objects.filter(pk=person.pk).update(
            work_street_address="Kontorsgatan 2", work_postal_code="753 20", work_city="Uppsala"
        )
    # when an office visit is requested with no address
    visit = request(federation, fld, "alpha-staff", place_kind="office", county="C")
    # then it goes to their office
    assert (visit.street_address, visit.postal_code, visit.city) == (
        "Kontorsgatan 2",
        "753 20",
        "Uppsala",
    )


def test_a_central_agent_requests_through_the_central_host(federation, fld):
    # when the service desk requests a visit with the central id of alpha's ticket
    r = gql(
        REQUEST,
        {
            "input": {
                "ticket": to_global_id(
                    "AgencyTicket", f"{federation.alpha.pk}.{fld.tickets['alpha-admin']}"
                ),
                "place": "OTHER",
                "streetAddress": "Annan väg 3",
                "city": "Solna",
                "county": "AB",
                "windows": [
                    {"startsAt": iso(s), "endsAt": iso(e)} for s, e in fld.windows((2, 8, 10))
                ],
            }
        },
        user=federation.user("desk"),
    ).data["requestVisit"]
    # then the visit exists in alpha, named by its central id, and no visit is returned centrally
    [visit] = visits(federation.alpha)
    assert r == {
        "visitId": to_global_id("AgencyVisit", f"{federation.alpha.pk}.{visit.pk}"),
        "visit": None,
        "errors": [],
    }
    assert (visit.place_kind, visit.street_address, visit.city) == ("other", "Annan väg 3", "Solna")


def _errors(federation, fld, who="alpha-staff", **extra):
    with pytest.raises(ValidationError) as caught:
        request(federation, fld, who, **extra)
    return {name: [e.code for e in errs] for name, errs in caught.value.error_dict.items()}


def test_bad_windows_are_refused_field_by_field_and_nothing_is_written(federation, fld):
    now = timezone.now()
    day = fld.monday
    # a window in the past, one ending before it starts, one beyond the horizon
    bad = [
        (now - dt.timedelta(hours=2), now - dt.timedelta(hours=1)),
        (fld.windows((0, 11, 9))[0]),
        (now + dt.timedelta(days=70), now + dt.timedelta(days=70, hours=2)),
    ]
    assert _errors(federation, fld, windows=bad) == {
        "windows.0.starts_at": ["date_in_past"],
        "windows.1.ends_at": ["end_before_start"],
        "windows.2.ends_at": ["too_far_ahead"],
    }
    # too many windows
    many = fld.windows(*[(d, 9, 10) for d in range(6)])
    assert _errors(federation, fld, windows=many) == {"windows": ["too_many_windows"]}
    # an unknown county, and an "other" place without an address
    assert _errors(federation, fld, county="XX") == {"county": ["unknown_county"]}
    assert _errors(federation, fld, place_kind="other") == {
        "street_address": ["required"],
        "city": ["required"],
    }
    # an unknown ticket
    fld.tickets["ghost"] = 999999
    assert _errors(federation, fld, ticket_of="ghost") == {"ticket": ["not_found"]}
    assert day == fld.monday
    # then nothing was written, in the schema or the index
    assert visits(federation.alpha) == []
    with schema_context(federation.alpha.schema_name):
        assert VisitWindow.objects.count() == 0
    assert not IndexEntry.objects.filter(kind=IndexKind.VISIT).exists()


def test_bad_input_through_graphql_names_the_camel_case_field(federation, fld):
    past = timezone.now() - dt.timedelta(days=1)
    r = gql(
        REQUEST,
        {
            "input": {
                "ticket": to_global_id("Ticket", fld.tickets["alpha-staff"]),
                "place": "HOME",
                "county": "AB",
                "windows": [{"startsAt": iso(past), "endsAt": iso(past + dt.timedelta(hours=1))}],
            }
        },
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    ).data["requestVisit"]
    assert r["visit"] is None
    assert [(e["field"], e["code"]) for e in r["errors"]] == [
        ("windows.0.startsAt", "DATE_IN_PAST")
    ]
    assert visits(federation.alpha) == []


def test_staff_cannot_request_on_someone_elses_ticket_nor_another_agency(federation, fld):
    # alpha's staff on alpha's admin's ticket: as unknown as a missing ticket
    assert _errors(federation, fld, "alpha-staff", ticket_of="alpha-admin") == {
        "ticket": ["not_found"]
    }
    # beta's admin against alpha's schema (beta's ticket number guessed in alpha)
    data = actions.NewVisit(
        ticket_id=fld.tickets["alpha-staff"],
        place_kind="home",
        windows=fld.windows((0, 9, 11)),
        county="AB",
    )
    with pytest.raises(PermissionDenied):
        actions.request_visit(federation.alpha, federation.user("beta-admin"), data)
    # and alpha's host refuses beta's admin outright
    r = gql(
        REQUEST,
        {
            "input": {
                "ticket": to_global_id("Ticket", fld.tickets["alpha-staff"]),
                "place": "HOME",
                "county": "AB",
                "windows": [
                    {"startsAt": iso(s), "endsAt": iso(e)} for s, e in fld.windows((0, 9, 11))
                ],
            }
        },
        agency=federation.alpha,
        user=federation.user("beta-admin"),
    )
    assert r.status == 403
    assert visits(federation.alpha) == [] and visits(federation.beta) == []
    assert not IndexEntry.objects.filter(kind=IndexKind.VISIT).exists()
