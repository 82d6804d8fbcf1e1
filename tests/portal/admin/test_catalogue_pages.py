"""The catalogue pages of the central host: services, offerings, prices from a date, agreements
and their targets; every form posts through services/catalogue/actions/."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from services.catalogue.models import Agreement, Offering, OfferingPrice, Service
from services.catalogue.portal.forms import next_month_start
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(
    "agency,username",
    [
        (None, "desk"),
        (None, "fin"),
        (None, "tech"),
        (None, "nobody"),
        (None, "alpha-admin"),
        (None, "alpha-staff"),
    ],
)
def test_only_catalogue_managers_and_platform_admins_open_the_catalogue(
    federation, cat, agency, username
):
    # given a user who is neither catalogue manager nor platform admin
    client = portal_client(agency, federation.user(username))
    # when they open the pages or post a new service, then they are refused
    assert client.get("/catalogue/").status_code == 403
    assert client.get(f"/catalogue/offerings/{cat.mail.pk}/").status_code == 403
    response = client.post(
        "/catalogue/new/",
        {"name": "Sneaky", "category": "email", "owner": "x", "lifecycle": "active"},
    )
    assert response.status_code == 403
    assert not Service.objects.filter(name="Sneaky").exists()


def test_managers_and_admins_open_the_catalogue_and_agency_hosts_have_none(federation, cat):
    for username in ("cat", "root"):
        assert portal_client(None, federation.user(username)).get("/catalogue/").status_code == 200
    on_agency = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert on_agency.get("/catalogue/offerings/1/").status_code == 404


def test_the_service_list_keeps_its_queries_for_2_and_10_services(federation, cat):
    client = portal_client(None, federation.user("cat"))
    Service.objects.create(name="zz Extra 0", category="support", owner="Desk")
    client.get("/catalogue/?q=zz")
    few, first = count_queries(lambda: client.get("/catalogue/?q=zz"))
    assert len(first.context["services"]) == 1
    for i in range(1, 10):
        Service.objects.create(name=f"zz Extra {i}", category="support", owner="Desk")
    more, second = count_queries(lambda: client.get("/catalogue/?q=zz"))
    assert len(second.context["services"]) == 10
    assert more == few


def test_the_service_list_is_paginated_and_searched(federation, cat):
    client = portal_client(None, federation.user("cat"))
    for i in range(27):
        Service.objects.create(name=f"pg Service {i:02}", category="support", owner="Desk")
    first = client.get("/catalogue/?q=pg+Service", **EN)
    last = client.get("/catalogue/?q=pg+Service&page=2", **EN)
    assert len(first.context["services"]) == 25 and len(last.context["services"]) == 2
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?q=pg Service&amp;page=2"' in first.content.decode()


def test_creating_a_service_goes_through_the_action(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post(
        "/catalogue/new/",
        {
            "name": "Videomöten",
            "category": "collaboration",
            "owner": "Samverkan",
            "suppliers": [cat.mail.service.suppliers.first().pk],
            "lifecycle": "planned",
        },
    )
    service = Service.objects.get(name="Videomöten")
    assert response.status_code == 302 and response["Location"] == f"/catalogue/{service.pk}/"
    assert service.lifecycle == "planned"
    assert [s.pk for s in service.suppliers.all()] == [cat.mail.service.suppliers.first().pk]


def test_a_duplicate_service_name_shows_next_to_the_field_and_keeps_the_input(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post(
        "/catalogue/new/",
        {
            "name": cat.mail.service.name.upper(),
            "category": "email",
            "owner": "Drift och förvaltning",
            "lifecycle": "active",
        },
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["A service with this name already exists."]}
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'value="Drift och förvaltning"' in html
    assert Service.objects.filter(name__iexact=cat.mail.service.name).count() == 1


def test_editing_a_service_changes_its_lifecycle_by_the_rules(federation, cat):
    client = portal_client(None, federation.user("root"))
    service = cat.mail.service
    base = {"name": service.name, "category": "email", "owner": "Drift"}
    # an active service cannot go back to planned
    response = client.post(f"/catalogue/{service.pk}/edit/", {**base, "lifecycle": "planned"}, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "lifecycle": ["A active item cannot become planned."]
    }
    # it may start retiring
    response = client.post(f"/catalogue/{service.pk}/edit/", {**base, "lifecycle": "retiring"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.lifecycle == "retiring"


def offering_post(cat, **over):
    data = {
        "code": "adm-video",
        "name": "Video Bas",
        "security_level": "2",
        "availability_level": "3",
        "price_model": "per_unit_monthly",
        "unit": "user",
        "min_quantity": "1",
        "max_quantity": "100",
        "notice_days": "30",
        "lead_time_days": "5",
        "agreement": str(cat.ola.pk),
        "lifecycle": "active",
        "price-valid_from": timezone.localdate().isoformat(),
        "price-monthly": "25.50",
        "price-one_off": "0",
    }
    return {**data, **over}


def test_creating_an_offering_with_its_first_price(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post(f"/catalogue/{cat.mail.service_id}/offerings/new/", offering_post(cat))
    offering = Offering.objects.get(code="adm-video")
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/offerings/{offering.pk}/"
    assert (offering.security_level, offering.availability_level) == (2, 3)
    assert list(offering.prices.values_list("valid_from", "monthly_ore", "one_off_ore")) == [
        (timezone.localdate(), 2550, 0)
    ]


def test_a_bad_offering_names_each_field_and_writes_nothing(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post(
        f"/catalogue/{cat.mail.service_id}/offerings/new/",
        offering_post(cat, code=cat.mail.code, unit="", **{"price-monthly": "-1"}),
        **EN,
    )
    # the form refuses the negative price before the action runs
    assert response.status_code == 400
    assert response.context["price_form"].errors == {
        "monthly": ["Give a price from 0 kr to 21,474,836.47 kr."]
    }
    # with a valid price, the action names the duplicate code and the missing unit
    response = client.post(
        f"/catalogue/{cat.mail.service_id}/offerings/new/",
        offering_post(cat, code=cat.mail.code, unit=""),
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "code": ["An offering with this code already exists."],
        "unit": ["A price per unit needs its unit (user, device, GB…)."],
    }
    assert 'value="Video Bas"' in response.content.decode()
    assert not Offering.objects.filter(name="Video Bas").exists()


def test_a_new_price_from_next_month_joins_the_price_history(federation, cat):
    client = portal_client(None, federation.user("cat"))
    start = next_month_start()
    page = client.get(f"/catalogue/offerings/{cat.mail.pk}/", **EN)
    assert page.context["form"].initial["valid_from"] == start
    # when a new price is posted from next month
    response = client.post(
        f"/catalogue/offerings/{cat.mail.pk}/",
        {"valid_from": start.isoformat(), "monthly": "55.00", "one_off": "0"},
    )
    assert response.status_code == 302
    # then the history has it as scheduled, and the old price is still the current one
    page = client.get(f"/catalogue/offerings/{cat.mail.pk}/", **EN)
    assert [
        (r["price"].valid_from, r["price"].monthly_ore, r["status"]) for r in page.context["prices"]
    ] == [
        (start, 5500, "scheduled"),
        (dt.date(2020, 1, 1), 5000, "current"),
    ]
    assert "Scheduled" in page.content.decode()


def test_a_price_in_the_past_is_refused_next_to_its_date(federation, cat):
    client = portal_client(None, federation.user("cat"))
    past = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        f"/catalogue/offerings/{cat.mail.pk}/",
        {"valid_from": past.isoformat(), "monthly": "61.00", "one_off": "0"},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "valid_from": [
            "A new price cannot start in the past: orders may already use the price valid then."
        ]
    }
    html = response.content.decode()
    assert 'id="id_valid_from_error"' in html and 'value="61.00"' in html
    assert OfferingPrice.objects.filter(offering=cat.mail).count() == 1


def test_a_one_off_offering_refuses_a_monthly_price_next_to_the_field(federation, cat):
    cat.mail.price_model = "one_off"
    cat.mail.save()
    client = portal_client(None, federation.user("cat"))
    response = client.post(
        f"/catalogue/offerings/{cat.mail.pk}/",
        {"valid_from": next_month_start().isoformat(), "monthly": "10", "one_off": "100"},
        **EN,
    )
    assert response.context["form"].errors == {
        "monthly": ["A one-off offering has no monthly price."]
    }


def test_adding_a_price_needs_the_csrf_token(federation, cat):
    client = Client(HTTP_HOST=host_of(None), enforce_csrf_checks=True)
    client.force_login(federation.user("cat"))
    response = client.post(
        f"/catalogue/offerings/{cat.mail.pk}/",
        {"valid_from": next_month_start().isoformat(), "monthly": "55.00"},
    )
    assert response.status_code == 403
    assert OfferingPrice.objects.filter(offering=cat.mail).count() == 1


def test_the_service_page_keeps_its_queries_for_2_and_10_offerings(federation, cat):
    client = portal_client(None, federation.user("cat"))
    service = Service.objects.create(name="adm Q", category="support", owner="Desk")

    def offering(i):
        o = Offering.objects.create(
            service=service,
            code=f"adm-q-{i}",
            name=f"Q {i}",
            security_level=2,
            availability_level=2,
            price_model="fixed_monthly",
            agreement=cat.ola,
        )
        OfferingPrice.objects.create(offering=o, valid_from=dt.date(2020, 1, 1), monthly_ore=100)

    for i in range(2):
        offering(i)
    few, first = count_queries(lambda: client.get(f"/catalogue/{service.pk}/"))
    for i in range(2, 10):
        offering(i)
    more, second = count_queries(lambda: client.get(f"/catalogue/{service.pk}/"))
    assert (len(first.context["rows"]), len(second.context["rows"])) == (2, 10)
    assert more == few


def agreement_post(**over):
    data = {
        "name": "OLA Skrivare",
        "kind": "ola",
        "supplier": "",
        "availability_percent": "99.5",
        "support_hours": "Mån-fre 8-17",
    }
    for p, (resp, res) in enumerate([(30, 240), (60, 480), (240, 1440), (480, 2880)], 1):
        data[f"p{p}_response"], data[f"p{p}_resolution"] = str(resp), str(res)
    return {**data, **over}


def test_creating_an_agreement_with_its_four_targets(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post("/catalogue/agreements/new/", agreement_post())
    assert response.status_code == 302
    agreement = Agreement.objects.get(name="OLA Skrivare")
    assert list(
        agreement.targets.values_list("priority", "response_minutes", "resolution_minutes")
    ) == [(1, 30, 240), (2, 60, 480), (3, 240, 1440), (4, 480, 2880)]


def test_agreement_errors_land_on_their_fields(federation, cat):
    client = portal_client(None, federation.user("cat"))
    response = client.post(
        "/catalogue/agreements/new/",
        agreement_post(kind="sla", p2_response="600"),
        **EN,
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "supplier": ["An SLA is with an external supplier: name it."],
        "p2_response": ["The response target is longer than the resolution target."],
    }
    assert 'value="600"' in response.content.decode()
    assert not Agreement.objects.filter(name="OLA Skrivare").exists()


def test_editing_an_agreement_replaces_its_targets(federation, cat):
    client = portal_client(None, federation.user("root"))
    page = client.get(f"/catalogue/agreements/{cat.ola.pk}/")
    assert page.context["form"].initial["p1_response"] == 30
    response = client.post(
        f"/catalogue/agreements/{cat.ola.pk}/",
        agreement_post(name=cat.ola.name, p1_response="15"),
    )
    assert response.status_code == 302
    assert cat.ola.targets.get(priority=1).response_minutes == 15


def test_the_agreement_list_keeps_its_queries_for_2_and_10_agreements(federation, cat):
    client = portal_client(None, federation.user("cat"))
    base = Agreement.objects.count()

    def agreement(i):
        a = Agreement.objects.create(
            name=f"adm A{i}", kind="ola", availability_percent="99", support_hours="x"
        )
        for p in (1, 2, 3, 4):
            a.targets.create(priority=p, response_minutes=10, resolution_minutes=20)

    agreement(0)
    few, first = count_queries(lambda: client.get("/catalogue/agreements/"))
    for i in range(1, 9):
        agreement(i)
    more, second = count_queries(lambda: client.get("/catalogue/agreements/"))
    assert (len(first.context["agreements"]), len(second.context["agreements"])) == (
        base + 1,
        base + 9,
    )
    assert more == few
