"""Monthly agreement compliance (GraphQL and CSV) and the review actions of OLA breaches."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from demo.data.calendars import OFFICE, load_calendars
from services.catalogue.models import Agreement, AgreementTarget, Supplier
from services.support import actions, compliance
from services.support.models import Channel, ClockEvent, ReviewAction, Ticket
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 1)
# Priority -> (impact, urgency); the test OLA's targets (response/resolution minutes) are
# P1 30/240, P2 60/480, P3 240/1440, P4 480/2880. No calendar exists in the test database, so
# clocks count every minute unless a test gives the agreement a calendar.
IMPACT_URGENCY = {1: (1, 1), 2: (1, 2), 3: (2, 2), 4: (3, 3)}

REPORT = """query($month: String!, $agency: String) {
  complianceReport(month: $month, agency: $agency) { month asOf rows {
    agency { slug } agreement { name kind } priority tickets met breached
    response { met breached pending medianMinutes p90Minutes }
    resolution { met breached pending medianMinutes p90Minutes } } } }"""
RECORD = """mutation($ticket: ID!, $what: String!, $action: String!, $owner: String!,
  $due: Date!) { recordReviewAction(ticket: $ticket, whatHappened: $what,
  correctiveAction: $action, owner: $owner, dueOn: $due) {
    reviewAction { id ticketId ticketPriority agreement { name } whatHappened correctiveAction
      owner dueOn doneOn isOpen agency { slug } }
    errors { field code } } }"""
COMPLETE = """mutation($id: ID!) { completeReviewAction(reviewAction: $id) {
  reviewAction { isOpen doneOn } errors { field code } } }"""
REVIEWS = """query($open: Boolean, $agency: String) { reviewActions(open: $open, agency: $agency)
  { id ticketId owner isOpen agency { slug } } }"""


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def make_ticket(
    federation,
    people,
    cat,
    created: dt.datetime,
    *,
    agency=None,
    priority: int = 2,
    response: int | None = None,
    resolution: int | None = None,
    proactive: bool = False,
    stops: tuple[dt.datetime | None, dt.datetime | None] | None = None,
) -> Ticket:
    """A ticket of `agency` (alpha) opened at `created`, whose first response and resolution
    clocks stopped `response` and `resolution` minutes later (None: still running), or at the
    moments in `stops`."""
    agency = agency or federation.alpha
    impact, urgency = IMPACT_URGENCY[priority]
    ticket = actions.open_ticket(
        agency,
        people[f"{agency.slug}-staff"],
        actions.NewTicket(
            subject="Skrivaren", impact=impact, urgency=urgency, offering_id=cat.mail.pk
        ),
        channel=Channel.WEB,
        proactive=proactive,
    )
    if stops is None:
        stops = tuple(
            None if m is None else created + dt.timedelta(minutes=m) for m in (response, resolution)
        )
    with schema_context(agency.schema_name):
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
        ClockEvent.objects.filter(ticket_id=ticket.pk).update(at=created)
        for clock, stopped in zip(("response", "resolution"), stops, strict=True):
            if stopped is not None:
                ClockEvent.objects.create(
                    ticket_id=ticket.pk, clock=clock, kind="stopped", at=stopped
                )
    return ticket


def figures(met, breached, pending, median, p90) -> dict:
    return {
        "met": met,
        "breached": breached,
        "pending": pending,
        "medianMinutes": median,
        "p90Minutes": p90,
    }


@pytest.fixture
def march(federation, people, cat):
    """Tickets of March 2025 in alpha (and one in beta), plus some that must not count."""
    t = make_ticket
    # four P2 tickets (targets 60/480): met/met, met/late, late/met, met/still running
    t(federation, people, cat, at("2025-03-10 09:00"), response=10, resolution=100)
    t(federation, people, cat, at("2025-03-11 09:00"), response=30, resolution=500)
    t(federation, people, cat, at("2025-03-12 09:00"), response=90, resolution=300)
    t(federation, people, cat, at("2025-03-13 09:00"), response=20)
    # a proactive P2 ticket that breached both clocks: not counted
    t(
        federation,
        people,
        cat,
        at("2025-03-14 09:00"),
        response=200,
        resolution=2000,
        proactive=True,
    )
    # P1 (30/240), created 00:30 on 1 March in Stockholm (23:30 UTC on 28 February)
    t(federation, people, cat, at("2025-02-28 23:30"), priority=1, response=5, resolution=60)
    # 00:30 on 1 April in Stockholm (summer time): April, not March
    t(federation, people, cat, at("2025-03-31 22:30"), response=10, resolution=10)
    # beta: one P3 ticket (240/1440), met
    t(
        federation,
        people,
        cat,
        at("2025-03-20 10:00"),
        agency=federation.beta,
        priority=3,
        response=100,
        resolution=1000,
    )


ALPHA_P1 = {
    "agency": {"slug": "alpha"},
    "agreement": {"name": "s OLA", "kind": "OLA"},
    "priority": 1,
    "tickets": 1,
    "met": 1,
    "breached": 0,
    "response": figures(1, 0, 0, 5, 5),
    "resolution": figures(1, 0, 0, 60, 60),
}
ALPHA_P2 = {
    "agency": {"slug": "alpha"},
    "agreement": {"name": "s OLA", "kind": "OLA"},
    "priority": 2,
    "tickets": 4,
    "met": 1,
    "breached": 3,
    # stopped after 10, 30, 90, 20: median at rank 2 of [10, 20, 30, 90], p90 at rank 4
    "response": figures(3, 1, 0, 20, 90),
    # stopped after 100, 500, 300 (one still running, past its target: breached)
    "resolution": figures(2, 2, 0, 300, 500),
}
BETA_P3 = {
    "agency": {"slug": "beta"},
    "agreement": {"name": "s OLA", "kind": "OLA"},
    "priority": 3,
    "tickets": 1,
    "met": 1,
    "breached": 0,
    "response": figures(1, 0, 0, 100, 100),
    "resolution": figures(1, 0, 0, 1000, 1000),
}


def test_the_report_counts_met_and_breached_per_priority_with_median_and_p90(federation, march):
    # given the March tickets
    # when finance asks for March on the central host
    r = gql(REPORT, {"month": "2025-03"}, user=federation.user("fin"))
    # then every agency's rows, proactive and April tickets left out
    assert r.errors == []
    report = r.data["complianceReport"]
    assert report["month"] == "2025-03"
    assert report["rows"] == [ALPHA_P1, ALPHA_P2, BETA_P3]
    # and one agency when asked for it
    r = gql(REPORT, {"month": "2025-03", "agency": "beta"}, user=federation.user("fin"))
    assert r.data["complianceReport"]["rows"] == [BETA_P3]


def test_april_holds_the_ticket_opened_after_midnight_local_time(federation, march):
    r = gql(REPORT, {"month": "2025-04", "agency": "alpha"}, user=federation.user("root"))
    rows = r.data["complianceReport"]["rows"]
    assert [(row["priority"], row["tickets"], row["met"]) for row in rows] == [(2, 1, 1)]


def test_a_clock_within_its_target_is_pending_as_of_the_report(federation, people, cat):
    # given a P2 ticket answered after 10 minutes and not yet resolved
    created = at("2025-03-10 09:00")
    make_ticket(federation, people, cat, created, response=10)
    # when the report runs 2 hours later, then the resolution clock (480) is pending
    report = compliance.monthly_report(
        [federation.alpha], MARCH, now=created + dt.timedelta(hours=2)
    )
    (row,) = report.rows
    assert (row.tickets, row.met, row.breached) == (1, 0, 0)
    assert row.response == compliance.ClockFigures(1, 0, 0, 10, 10)
    assert row.resolution == compliance.ClockFigures(0, 0, 1, None, None)
    # when it runs 9 hours later, it is breached (480 minutes passed), still without a time
    (row,) = compliance.monthly_report(
        [federation.alpha], MARCH, now=created + dt.timedelta(hours=9)
    ).rows
    assert (row.met, row.breached) == (0, 1)
    assert row.resolution == compliance.ClockFigures(0, 1, 0, None, None)


def test_minutes_are_business_minutes_of_the_agreements_calendar(federation, people, cat):
    # given the OLA counts office hours (Mon-Fri 08-17, Stockholm)
    calendars = load_calendars()
    Agreement.objects.filter(pk=cat.ola.pk).update(calendar=calendars[OFFICE])
    # and a P2 ticket opened Friday 14 March 16:30, answered Monday 08:40, resolved 10:00
    make_ticket(
        federation,
        people,
        cat,
        at("2025-03-14 15:30"),
        stops=(at("2025-03-17 07:40"), at("2025-03-17 09:00")),
    )
    (row,) = compliance.monthly_report([federation.alpha], MARCH).rows
    # then 30 + 40 = 70 minutes to the first response (target 60: breached), 30 + 120 = 150
    # to resolution (target 480: met)
    assert row.response == compliance.ClockFigures(0, 1, 0, 70, 70)
    assert row.resolution == compliance.ClockFigures(1, 0, 0, 150, 150)


def test_nearest_rank_percentiles():
    assert compliance.nearest_rank([], 50) is None
    assert compliance.nearest_rank([7], 90) == 7
    assert compliance.nearest_rank(range(10, 0, -1), 50) == 5
    assert compliance.nearest_rank(range(1, 11), 90) == 9
    assert compliance.nearest_rank(range(1, 12), 90) == 10
    assert compliance.nearest_rank(range(1, 12), 50) == 6


def test_the_query_count_per_agency_does_not_grow_with_its_tickets(federation, people, cat):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            report = compliance.monthly_report([federation.alpha], MARCH)
        return len(ctx.captured_queries), sum(row.tickets for row in report.rows)

    # given 5 tickets of March over two priorities
    for i in range(5):
        created = at(f"2025-03-{i + 3:02d} 09:00")
        make_ticket(federation, people, cat, created, priority=1 + i % 2, response=10)
    five = count()
    # when there are 30
    for i in range(25):
        created = at(f"2025-03-{i % 28 + 1:02d} 10:00")
        make_ticket(
            federation, people, cat, created, priority=1 + i % 2, response=10, resolution=20
        )
    thirty = count()
    # then the same queries: tickets, their clock events, the agreement's calendar (none
    # exists: then the default one is looked for), each after django-tenants' SET search_path
    assert (five[1], thirty[1]) == (5, 30)
    assert five[0] == thirty[0] == 8


# --- who sees what --------------------------------------------------------------------------


def test_an_agency_admin_reads_only_their_own_agency(federation, march):
    admin = federation.user("alpha-admin")
    r = gql(REPORT, {"month": "2025-03"}, agency=federation.alpha, user=admin)
    assert r.data["complianceReport"]["rows"] == [ALPHA_P1, ALPHA_P2]
    # not beta's through the agency argument
    r = gql(REPORT, {"month": "2025-03", "agency": "beta"}, agency=federation.alpha, user=admin)
    assert r.data == {"complianceReport": None}
    assert [e["extensions"]["code"] for e in r.errors] == ["FORBIDDEN"]
    # not on beta's host, nor on the central host
    r = gql(REPORT, {"month": "2025-03"}, agency=federation.beta, user=admin)
    assert r.status == 403 and r.data is None
    r = gql(REPORT, {"month": "2025-03"}, user=admin)
    assert r.data == {"complianceReport": None}
    assert [e["extensions"]["code"] for e in r.errors] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("who", "host"),
    [
        ("alpha-staff", "alpha"),
        ("cat", None),
        ("tech", None),
        ("nobody", None),
    ],
)
def test_others_get_no_figures(federation, march, who, host):
    agency = getattr(federation, host) if host else None
    r = gql(REPORT, {"month": "2025-03"}, agency=agency, user=federation.user(who))
    assert r.data == {"complianceReport": None}
    assert [e["extensions"]["code"] for e in r.errors] == ["FORBIDDEN"]


def test_bad_month_and_unknown_agency_are_named(federation):
    r = gql(REPORT, {"month": "2025-13"}, user=federation.user("fin"))
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in r.errors] == [
        ("INVALID", "month")
    ]
    r = gql(REPORT, {"month": "2025-03", "agency": "gamma"}, user=federation.user("fin"))
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in r.errors] == [
        ("NOT_FOUND", "agency")
    ]


# --- CSV ------------------------------------------------------------------------------------


def get_csv(user, host=None, **params):
    """GET the CSV on the host of agency `host` (the central host when None)."""
    client = Client(HTTP_HOST=host_of(host))
    if user is not None:
        client.force_login(user)
    return client.get("/reports/compliance.csv", params)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


HEADER = list(compliance.CSV_HEADER)
ALPHA_P1_CSV = ["2025-03", "alpha", "s OLA", "ola", "1", "1", "1", "0"]
ALPHA_P1_CSV += ["1", "0", "0", "5", "5", "1", "0", "0", "60", "60"]
ALPHA_P2_CSV = ["2025-03", "alpha", "s OLA", "ola", "2", "4", "1", "3"]
ALPHA_P2_CSV += ["3", "1", "0", "20", "90", "2", "2", "0", "300", "500"]
BETA_P3_CSV = ["2025-03", "beta", "s OLA", "ola", "3", "1", "1", "0"]
BETA_P3_CSV += ["1", "0", "0", "100", "100", "1", "0", "0", "1000", "1000"]


def test_finance_downloads_every_agency_as_csv(federation, march):
    response = get_csv(federation.user("fin"), month="2025-03")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2025-03.csv"'
    assert rows_of(response) == [HEADER, ALPHA_P1_CSV, ALPHA_P2_CSV, BETA_P3_CSV]
    response = get_csv(federation.user("desk"), month="2025-03", agency="beta")
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2025-03-beta.csv"'
    assert rows_of(response) == [HEADER, BETA_P3_CSV]


def test_an_agency_admin_downloads_only_their_own_csv(federation, march):
    admin = federation.user("alpha-admin")
    response = get_csv(admin, federation.alpha, month="2025-03")
    assert response.status_code == 200
    assert rows_of(response) == [HEADER, ALPHA_P1_CSV, ALPHA_P2_CSV]
    # beta's figures: refused on alpha's host, on beta's host and centrally
    assert get_csv(admin, federation.alpha, month="2025-03", agency="beta").status_code == 403
    assert get_csv(admin, federation.beta, month="2025-03").status_code == 403
    assert get_csv(admin, None, month="2025-03", agency="beta").status_code == 403


@pytest.mark.parametrize(("who", "host"), [("alpha-staff", "alpha"), ("cat", None)])
def test_the_csv_is_refused_to_others(federation, march, who, host):
    agency = getattr(federation, host) if host else None
    response = get_csv(federation.user(who), agency, month="2025-03")
    assert response.status_code == 403
    assert b"s OLA" not in response.content


def test_the_csv_needs_a_sign_in_and_a_month(federation):
    response = get_csv(None, month="2025-03")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert get_csv(federation.user("fin"), month="March").status_code == 400
    assert get_csv(federation.user("fin"), month="2025-03", agency="gamma").status_code == 400


# --- review actions -------------------------------------------------------------------------


def central(agency, ticket) -> str:
    return to_global_id("AgencyTicket", f"{agency.pk}.{ticket.pk}")


def review_count(agency) -> int:
    with schema_context(agency.schema_name):
        return ReviewAction.objects.count()


def review_input(ticket_id: str, **change) -> dict:
    data = {
        "ticket": ticket_id,
        "what": "Skrivarkön stod still en helg",
        "action": "Övervakning av kön med larm",
        "owner": "Driftledare",
        "due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
    }
    return {**data, **change}


@pytest.fixture
def breached(federation, people, cat):
    """A P2 ticket of alpha under the OLA, answered late (90 minutes against 60)."""
    return make_ticket(federation, people, cat, at("2025-03-12 09:00"), response=90, resolution=300)


def test_service_desk_records_a_review_action_that_the_agency_follows(federation, breached):
    # when a service-desk agent records a review action for the breached ticket
    variables = review_input(central(federation.alpha, breached))
    r = gql(RECORD, variables, user=federation.user("desk"))
    payload = r.data["recordReviewAction"]
    # then it is stored with the ticket's agreement
    assert payload["errors"] == []
    review = payload["reviewAction"]
    assert review["ticketId"] == central(federation.alpha, breached)
    assert (review["ticketPriority"], review["agreement"]) == (2, {"name": "s OLA"})
    assert (review["whatHappened"], review["correctiveAction"], review["owner"]) == (
        "Skrivarkön stod still en helg",
        "Övervakning av kön med larm",
        "Driftledare",
    )
    assert (review["dueOn"], review["doneOn"], review["isOpen"]) == (variables["due"], None, True)
    assert review["agency"] == {"slug": "alpha"}
    with schema_context("agency_alpha"):
        stored = ReviewAction.objects.get()
    assert (stored.agreement_id, stored.created_by_id) == (
        breached.agreement_id,
        federation.user("desk").pk,
    )
    # and the agency's admin sees it on the agency's host, with the agency's own ids
    r = gql(REVIEWS, {"open": True}, agency=federation.alpha, user=federation.user("alpha-admin"))
    assert r.data["reviewActions"] == [
        {
            "id": to_global_id("ReviewAction", stored.pk),
            "ticketId": to_global_id("Ticket", breached.pk),
            "owner": "Driftledare",
            "isOpen": True,
            "agency": {"slug": "alpha"},
        }
    ]
    # beta's admin sees none of it, nor may read alpha's
    r = gql(REVIEWS, {}, agency=federation.beta, user=federation.user("beta-admin"))
    assert r.data["reviewActions"] == []
    r = gql(
        REVIEWS, {"agency": "alpha"}, agency=federation.beta, user=federation.user("beta-admin")
    )
    assert r.data == {"reviewActions": None}
    assert [e["extensions"]["code"] for e in r.errors] == ["FORBIDDEN"]
    # finance sees it centrally; staff see nothing
    r = gql(REVIEWS, {"open": True}, user=federation.user("fin"))
    assert [(x["agency"]["slug"], x["owner"]) for x in r.data["reviewActions"]] == [
        ("alpha", "Driftledare")
    ]
    r = gql(REVIEWS, {}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data == {"reviewActions": None}


def test_a_review_action_is_completed_once(federation, breached):
    r = gql(RECORD, review_input(central(federation.alpha, breached)), user=federation.user("desk"))
    review_id = r.data["recordReviewAction"]["reviewAction"]["id"]
    # finance may read but not complete it
    r = gql(COMPLETE, {"id": review_id}, user=federation.user("fin"))
    assert r.data["completeReviewAction"]["errors"] == [
        {"field": None, "code": "PERMISSION_DENIED"}
    ]
    r = gql(COMPLETE, {"id": review_id}, user=federation.user("root"))
    assert r.data["completeReviewAction"] == {
        "reviewAction": {"isOpen": False, "doneOn": timezone.localdate().isoformat()},
        "errors": [],
    }
    r = gql(COMPLETE, {"id": review_id}, user=federation.user("root"))
    assert r.data["completeReviewAction"]["errors"] == [
        {"field": "reviewAction", "code": "INVALID_STATE"}
    ]
    assert gql(REVIEWS, {"open": True}, user=federation.user("fin")).data["reviewActions"] == []
    done = gql(REVIEWS, {"open": False}, user=federation.user("fin")).data["reviewActions"]
    assert [x["isOpen"] for x in done] == [False]


@pytest.fixture
def sla_ticket(federation, people, cat):
    """A ticket that breached, under an external supplier's SLA."""
    supplier = Supplier.objects.create(name="s Leverantör")
    sla = Agreement.objects.create(
        name="s SLA",
        kind="sla",
        supplier=supplier,
        availability_percent="99.9",
        support_hours="24/7",
    )
    AgreementTarget.objects.create(
        agreement=sla, priority=2, response_minutes=60, resolution_minutes=480
    )
    ticket = make_ticket(federation, people, cat, at("2025-03-12 09:00"), response=90)
    with schema_context("agency_alpha"):
        Ticket.objects.filter(pk=ticket.pk).update(agreement=sla)
    return ticket


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"ticket": "unknown"}, [("ticket", "NOT_FOUND")]),
        ({"ticket": "missing"}, [("ticket", "NOT_FOUND")]),
        ({"ticket": "within"}, [("ticket", "NOT_BREACHED")]),
        ({"ticket": "sla"}, [("ticket", "NOT_OLA")]),
        ({"what": "  "}, [("whatHappened", "REQUIRED")]),
        ({"action": ""}, [("correctiveAction", "REQUIRED")]),
        ({"owner": " "}, [("owner", "REQUIRED")]),
        ({"owner": "x" * 201}, [("owner", "INVALID")]),
        ({"due": "yesterday"}, [("dueOn", "DATE_IN_PAST")]),
        (
            {"what": "", "ticket": "within"},
            [("whatHappened", "REQUIRED"), ("ticket", "NOT_BREACHED")],
        ),
    ],
)
def test_bad_review_input_is_named_and_writes_nothing(
    federation, people, cat, breached, sla_ticket, change, expected
):
    change = dict(change)  # the parameter is shared by every run of this test (date matrix)
    # given a ticket within its targets (opened now), besides the breached and SLA tickets
    within = make_ticket(federation, people, cat, timezone.now())
    ids = {
        "unknown": "not-an-id",
        "missing": to_global_id("AgencyTicket", f"{federation.alpha.pk}.999999"),
        "within": central(federation.alpha, within),
        "sla": central(federation.alpha, sla_ticket),
    }
    if "ticket" in change:
        change["ticket"] = ids[change["ticket"]]
    if change.get("due") == "yesterday":
        change["due"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    variables = review_input(central(federation.alpha, breached), **change)
    r = gql(RECORD, variables, user=federation.user("desk"))
    payload = r.data["recordReviewAction"]
    assert payload["reviewAction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
    assert review_count(federation.alpha) == 0


@pytest.mark.parametrize(("who", "host"), [("fin", None), ("tech", None), ("alpha-admin", "alpha")])
def test_only_platform_admins_and_the_service_desk_record_reviews(federation, breached, who, host):
    agency = getattr(federation, host) if host else None
    r = gql(
        RECORD,
        review_input(central(federation.alpha, breached)),
        agency=agency,
        user=federation.user(who),
    )
    assert r.data["recordReviewAction"]["errors"] == [{"field": None, "code": "PERMISSION_DENIED"}]
    assert review_count(federation.alpha) == 0
