"""Suggestion outcomes and the self-help report: recorded by an agency's members on its host,
reported per month and service with exact figures; an agency's admins see only their own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from services.knowledge import outcomes
from services.knowledge.models import Outcome, SuggestionOutcome
from tests.graphql import gql
from tests.knowledge.helpers import aid, beta_article_unknown_in_alpha, service_id, sid

pytestmark = pytest.mark.django_db

RECORD = """mutation($outcome: SuggestionOutcomeKind!, $channel: SuggestionChannel,
  $article: ID, $service: ID) {
  recordSuggestionOutcome(outcome: $outcome, channel: $channel, article: $article,
    service: $service) { recorded errors { field code } } }"""
REPORT = """query($month: String, $agency: String) {
  selfHelpReport(month: $month, agency: $agency) {
  month service { name } shown resolved ticketOpened notHelpful resolvedRate resolvedPermille } }"""


def record(federation, agency, who="alpha-staff", **variables):
    r = gql(RECORD, variables, agency=agency, user=federation.user(who))
    return r.data["recordSuggestionOutcome"]


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_members_record_outcomes_that_hold_ids_only(federation, kb):
    # when alpha's staff says a shared article solved it, and its own one did not
    ok = record(federation, federation.alpha, outcome="RESOLVED", article=sid(kb.printer))
    assert ok == {"recorded": True, "errors": []}
    ok = record(
        federation,
        federation.alpha,
        outcome="NOT_HELPFUL",
        channel="CHAT",
        article=aid(kb.alpha_own),
    )
    assert ok == {"recorded": True, "errors": []}
    # and another one opened a ticket after choosing a service, without an article
    ok = record(
        federation,
        federation.alpha,
        who="alpha-admin",
        outcome="TICKET_OPENED",
        service=service_id(kb.vpn),
    )
    assert ok["errors"] == []
    # then the rows name the agency, the service (the article's), the article and no person
    rows = list(
        SuggestionOutcome.objects.order_by("pk").values_list(
            "agency__slug", "service_id", "article_kind", "article_id", "channel", "outcome"
        )
    )
    assert rows == [
        ("alpha", kb.printing.pk, "shared", kb.printer.pk, "web", "resolved"),
        ("alpha", kb.printing.pk, "agency", kb.alpha_own.pk, "chat", "not_helpful"),
        ("alpha", kb.vpn.pk, "", None, "web", "ticket_opened"),
    ]
    names = {f.name for f in SuggestionOutcome._meta.get_fields()}
    assert names == {
        "id", "agency", "service", "article_kind", "article_id", "channel", "outcome", "at"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "errors"),
    [
        ({"outcome": "RESOLVED"}, [("article", "REQUIRED")]),
        ({"outcome": "RESOLVED", "article": "garbage"}, [("article", "NOT_FOUND")]),
        ({"outcome": "NOT_HELPFUL", "service": "U2VydmljZTo5OTk5OTk5"}, [("service", "NOT_FOUND")]),
    ],
    ids=["resolved-without-article", "garbage-article", "unknown-service"],
)
def test_bad_outcomes_are_errors_and_record_nothing(federation, kb, variables, errors):
    r = record(federation, federation.alpha, **variables)
    assert r["recorded"] is False
    assert [(e["field"], e["code"]) for e in r["errors"]] == errors
    assert SuggestionOutcome.objects.count() == 0


def test_drafts_and_other_agencies_articles_cannot_be_named(federation, kb):
    beta_article = beta_article_unknown_in_alpha(federation, kb.vpn)
    # beta's own article, named on alpha's host; a shared draft
    for article in (aid(beta_article), sid(kb.draft)):
        r = record(federation, federation.alpha, outcome="RESOLVED", article=article)
        assert r["errors"] == [{"field": "article", "code": "NOT_FOUND"}]
    # beta's staff on alpha's host: refused at the door; central IT has no agency host here
    r = gql(
        RECORD,
        {"outcome": "NOT_HELPFUL"},
        agency=federation.alpha,
        user=federation.user("beta-staff"),
    )
    assert r.status == 403
    r = gql(RECORD, {"outcome": "NOT_HELPFUL"}, user=federation.user("desk"))
    assert r.data["recordSuggestionOutcome"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert SuggestionOutcome.objects.count() == 0


def _outcomes(federation, kb):
    """November: alpha 3 printing sessions (2 resolved), 1 VPN (ticket), 1 without service;
    beta 2 printing (0 resolved). October: alpha 1 printing resolved."""
    nov, octo = at(dt.date(2026, 11, 5)), at(dt.date(2026, 10, 31))
    rows = [
        (federation.alpha, kb.printing, Outcome.RESOLVED, nov),
        (federation.alpha, kb.printing, Outcome.RESOLVED, nov),
        (federation.alpha, kb.printing, Outcome.NOT_HELPFUL, nov),
        (federation.alpha, kb.vpn, Outcome.TICKET_OPENED, nov),
        (federation.alpha, None, Outcome.NOT_HELPFUL, nov),
        (federation.beta, kb.printing, Outcome.TICKET_OPENED, nov),
        (federation.beta, kb.printing, Outcome.NOT_HELPFUL, nov),
        (federation.alpha, kb.printing, Outcome.RESOLVED, octo),
    ]
    for agency, service, outcome, when in rows:
        SuggestionOutcome.objects.create(
            agency=agency, service=service, outcome=outcome, channel="web", at=when
        )


def test_the_report_counts_exactly_per_month_and_service(federation, kb):
    _outcomes(federation, kb)
    # central IT, every agency, November
    r = gql(REPORT, {"month": "2026-11"}, user=federation.user("cat"))
    assert r.errors == []
    assert r.data["selfHelpReport"] == [
        {
            "month": "2026-11",
            "service": {"name": "kb Nätverk"},
            "shown": 1,
            "resolved": 0,
            "ticketOpened": 1,
            "notHelpful": 0,
            "resolvedRate": "0.000",
            "resolvedPermille": 0,
        },
        {
            "month": "2026-11",
            "service": {"name": "kb Utskrift"},
            "shown": 5,
            "resolved": 2,
            "ticketOpened": 1,
            "notHelpful": 2,
            "resolvedRate": "0.400",
            "resolvedPermille": 400,
        },
        {
            "month": "2026-11",
            "service": None,
            "shown": 1,
            "resolved": 0,
            "ticketOpened": 0,
            "notHelpful": 1,
            "resolvedRate": "0.000",
            "resolvedPermille": 0,
        },
    ]
    # alpha's admin on alpha's host: alpha's figures only (2 of 3 printing sessions)
    r = gql(
        REPORT, {"month": "2026-11"}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    printing = [
        row for row in r.data["selfHelpReport"] if row["service"] == {"name": "kb Utskrift"}
    ]
    assert [
        (p["shown"], p["resolved"], p["resolvedRate"], p["resolvedPermille"]) for p in printing
    ] == [(3, 2, "0.667", 667)]
    # every month: October's row first
    r = gql(REPORT, {"agency": "alpha"}, user=federation.user("fin"))
    assert [
        (x["month"], x["service"] and x["service"]["name"], x["shown"])
        for x in r.data["selfHelpReport"]
    ] == [
        ("2026-10", "kb Utskrift", 1),
        ("2026-11", "kb Nätverk", 1),
        ("2026-11", "kb Utskrift", 3),
        ("2026-11", None, 1),
    ]


def test_the_rate_is_exact_decimal():
    row = outcomes.ReportRow(dt.date(2026, 11, 1), 1, "x", 3, 1, 1, 1)
    assert (row.resolved_rate, row.resolved_permille) == (Decimal("0.333"), 333)
    row = outcomes.ReportRow(dt.date(2026, 11, 1), 1, "x", 8, 7, 1, 0)
    assert (row.resolved_rate, row.resolved_permille) == (Decimal("0.875"), 875)


def test_an_agency_admin_sees_only_their_own_agencys_figures(federation, kb):
    _outcomes(federation, kb)
    admin = federation.user("beta-admin")
    # beta's admin asking for alpha, on beta's host and on the central host: refused
    r = gql(REPORT, {"agency": "alpha"}, agency=federation.beta, user=admin)
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN" and r.data is None
    r = gql(REPORT, {"agency": "alpha"}, user=admin)
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    r = gql(REPORT, {"agency": "atlantis"}, user=admin)  # no probing for agencies
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    r = gql(REPORT, {}, user=admin)  # every agency: central IT only
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    # their own: beta's two printing sessions, none resolved
    r = gql(REPORT, {"month": "2026-11"}, agency=federation.beta, user=admin)
    assert [
        (x["service"]["name"], x["shown"], x["resolved"]) for x in r.data["selfHelpReport"]
    ] == [("kb Utskrift", 2, 0)]
    # staff and technicians do not read the report
    r = gql(REPORT, {}, agency=federation.beta, user=federation.user("beta-staff"))
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"
    r = gql(REPORT, {}, user=federation.user("tech"))
    assert r.errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("month", ["2026-13", "26-11", "november", "2026-1"])
def test_a_bad_month_is_a_clear_error(federation, kb, month):
    r = gql(REPORT, {"month": month}, user=federation.user("cat"))
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in r.errors] == [
        ("BAD_USER_INPUT", "month")
    ]


def test_an_unknown_agency_is_a_clear_error(federation, kb):
    r = gql(REPORT, {"agency": "atlantis"}, user=federation.user("cat"))
    assert r.errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "agency"}
