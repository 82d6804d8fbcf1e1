"""Field visits in the portal: staff request a visit and follow it (agency host), the
service desk dispatches from the board, technicians see and close their visits (central
host). Same actions as the API; no page shows another agency's data or a visit's address
outside its day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localtime
from django_tenants.utils import schema_context

from services.crossindex.models import IndexEntry
from services.field.visits.models import Visit, VisitState
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client
from tests.portal.field.conftest import EN, dispatched, request_visit

pytestmark = pytest.mark.django_db


def _post_data(fld, ticket, day, **extra):
    data = {
        "ticket": ticket,
        "place_kind": "other",
        "street_address": "Storgatan 5",
        "postal_code": "11122",
        "city": "Stockholm",
        "county": "AB",
        "contact_phone": "070-111 22 33",
        "notes": "Ring the bell twice",
        "w-TOTAL_FORMS": "3",
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "5",
        "w-0-day": day.isoformat(),
        "w-0-starts": "09:00",
        "w-0-ends": "11:00",
        "w-1-day": (day + dt.timedelta(days=1)).isoformat(),
        "w-1-starts": "13:00",
        "w-1-ends": "15:00",
    }
    data.update(extra)
    return data


def test_staff_request_a_visit_with_several_windows_and_see_it(federation, fld):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    # when the staff member sends the form for their ticket with two windows
    response = client.post(
        "/visits/", _post_data(fld, fld.tickets["alpha-staff"], fld.monday), **EN
    )
    # then the visit exists with its place and both windows, and the list shows it
    assert response.status_code == 302 and response["Location"] == "/visits/"
    with schema_context("agency_alpha"):
        visit = Visit.objects.get()
        assert (visit.state, visit.street_address, visit.county, visit.notes) == (
            "requested",
            "Storgatan 5",
            "AB",
            "Ring the bell twice",
        )
        assert [
            (localtime(w.starts_at).hour, localtime(w.ends_at).hour) for w in visit.windows.all()
        ] == [
            (9, 11),
            (13, 15),
        ]
    listing = client.get("/visits/", **EN)
    assert [v.pk for v in listing.context["page"]] == [visit.pk]
    assert b'data-state="requested"' in listing.content


def test_a_window_in_the_past_shows_next_to_the_window_and_keeps_the_input(federation, fld):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = _post_data(fld, fld.tickets["alpha-staff"], yesterday)
    data.update({"w-1-day": "", "w-1-starts": "", "w-1-ends": ""})
    response = client.post("/visits/", data, **EN)
    # then nothing is filed, the error sits on the first window's start, the input stays
    assert response.status_code == 400
    window = response.context["windows"].forms[0]
    assert window.errors == {"starts": ["The window must start in the future."]}
    html = response.content.decode()
    assert 'id="id_w-0-starts_error"' in html
    assert 'value="Storgatan 5"' in html and "Ring the bell twice" in html
    with schema_context("agency_alpha"):
        assert not Visit.objects.exists()
        assert not IndexEntry.objects.filter(kind="visit").exists()


def test_no_window_and_a_missing_address_are_errors_on_their_fields(federation, fld):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    data = _post_data(fld, fld.tickets["alpha-staff"], fld.monday, street_address="")
    for i in (0, 1):
        data.update({f"w-{i}-day": "", f"w-{i}-starts": "", f"w-{i}-ends": ""})
    response = client.post("/visits/", data, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {"street_address": ["Say where the visit is."]}
    assert response.context["windows"].forms[0].non_field_errors() == [
        "Give at least one time window."
    ]


def test_staff_use_only_their_own_tickets_and_see_only_their_visits(federation, fld):
    mine = request_visit(federation, fld, "alpha-staff")
    theirs = request_visit(federation, fld, "alpha-admin")
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    # the admin's ticket is not a choice for the staff member
    response = staff.post("/visits/", _post_data(fld, fld.tickets["alpha-admin"], fld.monday), **EN)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["ticket"]
    assert [v.pk for v in staff.get("/visits/?scope=agency").context["page"]] == [mine.pk]
    # the staff member cannot cancel the admin's visit
    staff.post(f"/visits/{theirs.pk}/cancel/")
    # the admin sees the whole agency's visits
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    listed = admin.get("/visits/?scope=agency").context["page"]
    assert {v.pk for v in listed} == {mine.pk, theirs.pk}
    with schema_context("agency_alpha"):
        assert Visit.objects.get(pk=theirs.pk).state == VisitState.REQUESTED
    # the staff member cancels their own
    staff.post(f"/visits/{mine.pk}/cancel/")
    with schema_context("agency_alpha"):
        assert Visit.objects.get(pk=mine.pk).state == VisitState.CANCELLED


def test_another_agency_cannot_see_or_cancel_alphas_visits(federation, fld):
    visit = request_visit(federation, fld, "alpha-staff")
    on_alpha = portal_client(federation.alpha, federation.user("beta-admin"))
    assert on_alpha.get("/visits/").status_code == 403
    assert on_alpha.post(f"/visits/{visit.pk}/cancel/").status_code == 403
    # on beta's host the id names nothing of beta's
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    assert beta.post(f"/visits/{visit.pk}/cancel/").status_code == 302
    assert visit.pk not in [v.pk for v in beta.get("/visits/?scope=agency").context["page"]]
    with schema_context("agency_alpha"):
        assert Visit.objects.get(pk=visit.pk).state == VisitState.REQUESTED


def test_the_request_form_needs_the_csrf_token(federation, fld):
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-staff"))
    response = client.post("/visits/", _post_data(fld, fld.tickets["alpha-staff"], fld.monday))
    assert response.status_code == 403
    with schema_context("agency_alpha"):
        assert not Visit.objects.exists()


def test_my_visits_cost_the_same_for_2_and_10_and_are_paginated(federation, fld):
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    for _ in range(2):
        request_visit(federation, fld)
    staff.get("/visits/")
    few, first = count_queries(lambda: staff.get("/visits/"))
    for _ in range(8):
        request_visit(federation, fld)
    many, second = count_queries(lambda: staff.get("/visits/"))
    assert (len(first.context["page"]), len(second.context["page"])) == (2, 10)
    assert many == few
    for _ in range(16):
        request_visit(federation, fld)
    assert len(staff.get("/visits/?page=2").context["page"]) == 1


# --- the dispatch board (central host) ---------------------------------------------------------


def test_the_board_lists_visits_of_every_agency_without_personal_data(federation, fld):
    a = request_visit(federation, fld, "alpha-staff", notes="Porten kod 1234")
    b = request_visit(federation, fld, "beta-staff")
    desk = portal_client(None, federation.user("desk"))
    response = desk.get("/visits/board/", **EN)
    entries = {(e.agency.slug, e.local_id) for e in response.context["page"]}
    assert entries == {("alpha", a.pk), ("beta", b.pk)}
    html = response.content.decode()
    assert f'href="/visits/board/{federation.alpha.pk}/{a.pk}/"' in html
    for private in ("Hemvägen", "070-123", "Porten kod", "Staff of alpha"):
        assert private not in html
    # and the county filter
    assert not list(desk.get("/visits/board/?county=M").context["page"])


def test_the_board_is_for_the_desk_only(federation, fld):
    visit = request_visit(federation, fld)
    url = f"/visits/board/{federation.alpha.pk}/{visit.pk}/"
    for name in ("tech", "fin", "cat", "alpha-admin", "nobody"):
        client = portal_client(None, federation.user(name))
        assert client.get("/visits/board/").status_code == 403, name
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"technician": fld.techs["tech"].pk, "window": 1}).status_code == (
            403
        ), name
    with schema_context("agency_alpha"):
        assert Visit.objects.get(pk=visit.pk).state == VisitState.REQUESTED
    assert portal_client(None, federation.user("root")).get("/visits/board/").status_code == 200


def test_the_board_costs_the_same_for_2_and_10_visits_and_is_paginated(federation, fld):
    desk = portal_client(None, federation.user("desk"))
    request_visit(federation, fld, "alpha-staff")
    request_visit(federation, fld, "beta-staff")
    desk.get("/visits/board/")
    few, first = count_queries(lambda: desk.get("/visits/board/"))
    for i in range(8):
        request_visit(federation, fld, "alpha-staff" if i % 2 else "beta-staff")
    many, second = count_queries(lambda: desk.get("/visits/board/"))
    assert (len(first.context["page"]), len(second.context["page"])) == (2, 10)
    assert many == few
    for _ in range(16):
        request_visit(federation, fld)
    assert len(desk.get("/visits/board/?page=2").context["page"]) == 1


def test_the_desk_sees_suggestions_nearest_first_and_dispatches(federation, fld):
    visit = request_visit(federation, fld)
    desk = portal_client(None, federation.user("desk"))
    url = f"/visits/board/{federation.alpha.pk}/{visit.pk}/"
    page = desk.get(url, **EN)
    names = [item["s"].technician.user.username for item in page.context["suggestions"]]
    # Stockholm-based first (0 km), then Uppsala (tech, 63.6 km), then Malmö
    assert names == ["t-ab", "t-office", "tech", "t-m"]
    assert "Hemvägen" not in page.content.decode()
    assert "<span data-distance>63.6 km</span>" in page.content.decode()
    with schema_context("agency_alpha"):
        second = visit.windows.order_by("starts_at").last()
    # a technician who does not cover the county is refused, with the reason
    refused = desk.post(url, {"technician": fld.techs["t-o"].pk, "window": second.pk}, **EN)
    assert refused.status_code == 400
    assert refused.context["form"].errors["technician"] == [
        "The technician does not cover this county."
    ]
    # when the desk dispatches tech for the second window
    done = desk.post(url, {"technician": fld.techs["tech"].pk, "window": second.pk})
    assert done.status_code == 302
    with schema_context("agency_alpha"):
        row = Visit.objects.get(pk=visit.pk)
        assert (row.state, row.technician_id, row.confirmed_start) == (
            "dispatched",
            federation.user("tech").pk,
            second.starts_at,
        )


# --- a technician's visits (central host) --------------------------------------------------------


def test_a_technician_sees_the_address_only_on_the_day_of_their_own_visit(federation, fld):
    today = dispatched(federation, fld, "alpha-staff", today=True)
    later = dispatched(federation, fld, "beta-staff", day=1)
    others = dispatched(federation, fld, "alpha-admin", tech="t-ab", today=True)
    tech = portal_client(None, federation.user("tech"))
    response = tech.get("/visits/mine/", **EN)
    rows = {(r["agency"].slug, r["visit"].pk): r["shows_place"] for r in response.context["rows"]}
    assert rows == {("alpha", today.pk): True, ("beta", later.pk): False}
    html = response.content.decode()
    assert "Hemvägen 2" in html and "Stad alpha" in html  # today's visit (alpha staff)
    assert "Stad beta" not in html  # next week's
    assert "Admin of alpha" not in html and "Hemvägen 1" not in html  # t-ab's visit
    # the other technician's visit cannot be worked on
    other = tech.post(f"/visits/mine/{federation.alpha.pk}/{others.pk}/arrived/")
    assert other.status_code == 403
    with schema_context("agency_alpha"):
        assert Visit.objects.get(pk=others.pk).state == VisitState.DISPATCHED


def test_a_technician_arrives_and_closes_and_then_the_address_is_gone(federation, fld):
    visit = dispatched(federation, fld, "alpha-staff", today=True)
    tech = portal_client(None, federation.user("tech"))
    base = f"/visits/mine/{federation.alpha.pk}/{visit.pk}/"
    assert tech.post(base + "arrived/").status_code == 302
    prefix = f"v{federation.alpha.pk}-{visit.pk}"
    # could not complete, without a reason: the error sits next to the reason, input kept
    bad = tech.post(
        base + "complete/",
        {f"{prefix}-outcome": "not_completed", f"{prefix}-travel_minutes": "35"},
        **EN,
    )
    assert bad.status_code == 400
    form = next(r["form"] for r in bad.context["rows"] if r["visit"].pk == visit.pk)
    assert form.errors == {"reason": ["Say why it could not be done."]}
    assert f'name="{prefix}-travel_minutes" value="35"' in bad.content.decode()
    # when done
    ok = tech.post(
        base + "complete/",
        {
            f"{prefix}-outcome": "done",
            f"{prefix}-travel_minutes": "35",
            f"{prefix}-on_site_minutes": "20",
        },
    )
    assert ok.status_code == 302
    with schema_context("agency_alpha"):
        row = Visit.objects.get(pk=visit.pk)
        assert (row.state, row.travel_minutes, row.on_site_minutes) == ("done", 35, 20)
    # then it still shows today, without the address
    after = tech.get("/visits/mine/")
    assert [(r["visit"].state, r["shows_place"]) for r in after.context["rows"]] == [
        ("done", False)
    ]
    assert "Hemvägen" not in after.content.decode()


def test_my_visits_are_for_technicians_and_cost_the_same_for_2_and_10(federation, fld):
    for name in ("desk", "fin", "alpha-admin"):
        assert portal_client(None, federation.user(name)).get("/visits/mine/").status_code == 403
    tech = portal_client(None, federation.user("tech"))
    for day, who in enumerate(("alpha-staff", "beta-staff")):
        dispatched(federation, fld, who, today=True, day=day)
    tech.get("/visits/mine/")
    few, first = count_queries(lambda: tech.get("/visits/mine/"))
    # eight more, each in its own window (one technician is not booked twice)
    for i in range(8):
        who = "alpha-staff" if i % 2 else "beta-staff"
        agency = federation.alpha if i % 2 else federation.beta
        visit = request_visit(
            federation,
            fld,
            who,
            windows=fld.windows((2 + i // 4, 8 + 2 * (i % 4), 9 + 2 * (i % 4))),
        )
        with schema_context(agency.schema_name):
            window = visit.windows.get()
        from services.field.visits import actions

        actions.dispatch_visit(
            agency,
            federation.user("desk"),
            visit.pk,
            technician_id=fld.techs["tech"].pk,
            window_id=window.pk,
        )
    many, second = count_queries(lambda: tech.get("/visits/mine/"))
    assert (len(first.context["rows"]), len(second.context["rows"])) == (2, 10)
    assert many == few


def test_a_window_begun_but_not_finished_says_what_is_missing(federation, fld):
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    data = _post_data(fld, fld.tickets["alpha-staff"], fld.monday)
    data["w-1-ends"] = ""
    response = client.post("/visits/", data, **EN)
    assert response.status_code == 400
    assert response.context["windows"].forms[1].errors == {
        "ends": ["Give the date, the start and the end."]
    }
    with schema_context("agency_alpha"):
        assert not Visit.objects.exists()
