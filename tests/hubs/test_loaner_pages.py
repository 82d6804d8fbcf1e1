"""The loaners page of the central host: hub staff lend a loaner to a person found by e-mail in
the chosen agency, take it back, and see every hub's overdue loaners; a constant number of
queries; agency people are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from config import testclock
from services.devices.models import Loan
from services.hubs.models import StockItem
from tests.hubs import build
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAGE = "/hubs/loaners/"


def _lend_post(client, hub, loaner, agency, email, days=14):
    due = timezone.localdate() + dt.timedelta(days=days)
    return client.post(
        f"{PAGE}?hub={hub.pk}",
        {
            "hub": hub.pk,
            "lend-loaner": loaner.pk,
            "lend-agency": agency.pk,
            "lend-email": email,
            "lend-expected_return": due.isoformat(),
        },
        **EN,
    )


def test_hub_staff_lend_and_take_back_on_the_page(federation, hub, hubber):
    loaner = build.stock(hub, "SN-PAGE-1", "loaner")
    build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    client = portal_client(None, hubber)
    page = client.get(f"{PAGE}?hub={hub.pk}", **EN)
    assert page.status_code == 200 and page.content.decode().count("<h1>") == 1
    # an address alpha's register does not have: the error is next to the e-mail field
    r = _lend_post(client, hub, loaner, federation.alpha, "nobody@alpha.example")
    assert r.status_code == 400
    assert "Nobody in the agency&#x27;s register has this e-mail address." in r.content.decode()
    # beta's agency with alpha's person's address: not found either (people are per agency)
    r = _lend_post(client, hub, loaner, federation.beta, "lena@alpha.example")
    assert r.status_code == 400
    assert StockItem.objects.get(pk=loaner.pk).state == "available"
    # lent to Lena of alpha
    r = _lend_post(client, hub, loaner, federation.alpha, "LENA@alpha.example")
    assert r.status_code == 302
    body = client.get(f"{PAGE}?hub={hub.pk}", **EN).content.decode()
    assert "Lena Lånare" in body and "Take back" in body
    # taken back
    r = client.post(f"{PAGE}{loaner.pk}/return/", **EN)
    assert r.status_code == 302
    assert StockItem.objects.get(pk=loaner.pk).state == "available"
    with schema_context(federation.alpha.schema_name):
        assert Loan.objects.get().returned_at is not None


def test_overdue_loaners_of_every_hub_are_listed(federation, hub, hubber):
    other = build.make_hub(hub.calendar, name="hubtest Uppsala", county="C")
    lena = build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    bo = build.person(federation.beta, "Bo Borrower", email="bo@beta.example")
    from services.hubs.actions import lend_loaner

    for n, (where, agency, person, days) in enumerate(
        (
            (hub, federation.alpha, lena, 2),
            (other, federation.beta, bo, 3),
            (hub, federation.alpha, lena, 30),
        )
    ):
        item = build.stock(where, f"SN-OD-{n}", "loaner")
        lend_loaner(
            agency,
            hubber,
            item.pk,
            person_id=person.pk,
            expected_return=timezone.localdate() + dt.timedelta(days=days),
        )
    testclock.rewind(timezone.localtime() + dt.timedelta(days=10))
    body = portal_client(None, hubber).get(PAGE, **EN).content.decode()
    overdue = body[body.index('id="overdue"') :]
    assert 'data-overdue="SN-OD-0"' in overdue and 'data-overdue="SN-OD-1"' in overdue
    assert 'data-overdue="SN-OD-2"' not in overdue
    assert "Lena Lånare" in overdue and "Bo Borrower" in overdue


def test_the_page_keeps_a_constant_number_of_queries(federation, hub, hubber):
    from services.hubs.actions import lend_loaner

    lena = build.person(federation.alpha, "Lena Lånare", email="lena@alpha.example")
    client = portal_client(None, hubber)

    def lend(n):
        for i in range(n):
            item = build.stock(hub, f"SN-Q-{StockItem.objects.count()}-{i}", "loaner")
            lend_loaner(
                federation.alpha,
                hubber,
                item.pk,
                person_id=lena.pk,
                expected_return=timezone.localdate() + dt.timedelta(days=5),
            )

    lend(2)
    few, _ = count_queries(lambda: client.get(f"{PAGE}?hub={hub.pk}", **EN))
    lend(8)
    many, page = count_queries(lambda: client.get(f"{PAGE}?hub={hub.pk}", **EN))
    assert page.content.decode().count("data-loaner=") == 10
    assert many == few


def test_agency_people_and_other_central_roles_are_refused(federation, hub):
    loaner = build.stock(hub, "SN-DENY-1", "loaner")
    for user, agency in (
        (federation.user("alpha-admin"), None),
        (federation.user("alpha-admin"), federation.alpha),
        (build.central_user("hubtest-finance", "finance"), None),
    ):
        client = portal_client(agency, user)
        assert client.get(PAGE, **EN).status_code in (403, 404)
        assert client.post(f"{PAGE}{loaner.pk}/return/", **EN).status_code in (403, 404)
