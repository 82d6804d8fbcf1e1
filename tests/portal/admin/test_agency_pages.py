"""The agencies pages of the central host (platform admins): the list, onboarding through
services.agencies.actions.onboard_agency, granting an admin, suspension and reactivation."""

import pytest
from django.test import Client

from tenants.models import Agency, AgencyKind, AgencyState, Domain, RoleGrant
from tenants.roles import Role
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

NEW = {
    "name": "Länsstyrelsen Gamma",
    "slug": "gamma",
    "org_number": "2021000118",
    "security_level": "3",
    "availability_level": "2",
    "headcount": "150",
}


def root(federation):
    return portal_client(None, federation.user("root"))


@pytest.mark.parametrize("username", ["cat", "desk", "fin", "tech", "nobody", "alpha-admin"])
def test_only_platform_admins_open_the_agency_pages(federation, username):
    client = portal_client(None, federation.user(username))
    assert client.get("/tenants/").status_code == 403
    assert client.get(f"/tenants/{federation.alpha.pk}/").status_code == 403
    assert client.post("/tenants/new/", NEW).status_code == 403
    response = client.post(
        f"/tenants/{federation.alpha.pk}/", {"action": "suspend", "state-reason": "x"}
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(slug="gamma").exists()
    assert Agency.objects.get(pk=federation.alpha.pk).state == AgencyState.ACTIVE


def test_agency_hosts_have_no_agency_pages(federation):
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert client.get("/tenants/").status_code == 404


def test_the_list_shows_state_levels_headcount_and_admins(federation):
    response = root(federation).get("/tenants/", **EN)
    rows = {
        a.slug: (a.state, a.security_level, a.availability_level, a.headcount, a.admin_count)
        for a in response.context["agencies"]
    }
    assert rows["alpha"] == ("active", 2, 2, 100, 1)
    assert rows["beta"] == ("active", 3, 3, 200, 1)
    assert "alpha.localhost" in response.content.decode()


def fake_agencies(n: int, start: int = 0) -> None:
    """Agency rows without schemas (bulk_create skips the schema): enough for a list."""
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"zz Agency {i:02}",
            slug=f"zz-{i:02}",
            schema_name=f"agency_zz_{i:02}",
            kind=AgencyKind.AGENCY,
            state=AgencyState.SUSPENDED,
        )
        for i in range(start, start + n)
    )
    Domain.objects.bulk_create(
        Domain(domain=f"{a.slug}.localhost", tenant=a, is_primary=True) for a in agencies
    )


def test_the_list_keeps_its_queries_for_2_and_10_agencies(federation):
    client = root(federation)
    fake_agencies(2)
    few, first = count_queries(lambda: client.get("/tenants/?state=suspended"))
    fake_agencies(8, start=2)
    more, second = count_queries(lambda: client.get("/tenants/?state=suspended"))
    assert (len(first.context["agencies"]), len(second.context["agencies"])) == (2, 10)
    assert more == few


def test_the_list_is_paginated(federation):
    fake_agencies(27)
    client = root(federation)
    first = client.get("/tenants/?state=suspended", **EN)
    last = client.get("/tenants/?state=suspended&page=2", **EN)
    assert len(first.context["agencies"]) == 25 and len(last.context["agencies"]) == 2
    assert 'href="?state=suspended&amp;page=2"' in first.content.decode()


def test_onboarding_an_agency_then_granting_its_admin(federation):
    client = root(federation)
    # when the platform admin onboards Gamma
    response = client.post("/tenants/new/", NEW)
    gamma = Agency.objects.get(slug="gamma")
    assert response.status_code == 302 and response["Location"] == f"/tenants/{gamma.pk}/"
    assert (gamma.state, gamma.org_number, gamma.security_level, gamma.headcount) == (
        "active",
        "202100-0118",
        3,
        150,
    )
    # then its page shows every step of onboarding done but the admin
    page = client.get(f"/tenants/{gamma.pk}/", **EN)
    assert [(s["label"], s["done"]) for s in page.context["steps"]] == [
        ("Schema created from the template", True),
        ("Host name added", True),
        ("Activated", True),
        ("Admin granted", False),
    ]
    assert "http://gamma.localhost/" in page.content.decode()
    # when an existing identity is made its admin
    nobody = federation.user("nobody")
    response = client.post(f"/tenants/{gamma.pk}/", {"action": "grant", "grant-username": "nobody"})
    assert response.status_code == 302
    assert list(RoleGrant.objects.filter(agency=gamma).values_list("user_id", "role")) == [
        (nobody.pk, Role.AGENCY_ADMIN)
    ]
    # then that identity may open Gamma's host, and its people page
    on_gamma = portal_client(gamma, nobody)
    assert on_gamma.get("/").status_code == 200
    assert on_gamma.get("/seats/people/").status_code == 200


@pytest.mark.parametrize(
    "field,value,message",
    [
        (
            "org_number",
            "2021000119",
            "Not a valid Swedish organisation number "
            "(The number's checksum or check digit is invalid.).",
        ),
        ("slug", "alpha", "An agency with this slug already exists."),
        ("slug", "admin", "'admin' is reserved."),
    ],
)
def test_a_bad_onboarding_shows_the_error_next_to_the_field(federation, field, value, message):
    response = root(federation).post("/tenants/new/", {**NEW, field: value}, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'value="Länsstyrelsen Gamma"' in html and f'value="{value}"' in html
    assert not Agency.objects.filter(name="Länsstyrelsen Gamma").exists()


def test_granting_an_unknown_identity_is_refused_next_to_the_field(federation):
    response = root(federation).post(
        f"/tenants/{federation.alpha.pk}/",
        {"action": "grant", "grant-username": "no-such-user"},
        **EN,
    )
    assert response.status_code == 400
    assert response.context["grant_form"].errors == {
        "username": ["No active identity has this username."]
    }
    assert 'value="no-such-user"' in response.content.decode()
    assert RoleGrant.objects.filter(agency=federation.alpha).count() == 2


def test_granting_twice_is_refused(federation):
    response = root(federation).post(
        f"/tenants/{federation.alpha.pk}/",
        {"action": "grant", "grant-username": "alpha-admin"},
        **EN,
    )
    assert response.context["grant_form"].errors == {
        "username": ["This identity already has the role here."]
    }


def test_suspending_needs_a_reason_and_closes_the_agencys_host(federation):
    client = root(federation)
    alpha = federation.alpha
    response = client.post(
        f"/tenants/{alpha.pk}/", {"action": "suspend", "state-reason": " "}, **EN
    )
    assert response.status_code == 400
    assert response.context["state_form"].errors == {"reason": ["Say why the agency is suspended."]}
    assert Agency.objects.get(pk=alpha.pk).state == AgencyState.ACTIVE
    # with a reason it is suspended, and its host serves nobody
    response = client.post(
        f"/tenants/{alpha.pk}/", {"action": "suspend", "state-reason": "Unpaid invoices"}
    )
    assert response.status_code == 302
    suspended = Agency.objects.get(pk=alpha.pk)
    assert (suspended.state, suspended.state_reason) == ("suspended", "Unpaid invoices")
    assert portal_client(suspended, federation.user("alpha-admin")).get("/").status_code == 403
    # and reactivating opens it again
    response = client.post(f"/tenants/{alpha.pk}/", {"action": "reactivate", "state-reason": ""})
    assert response.status_code == 302
    active = Agency.objects.get(pk=alpha.pk)
    assert (active.state, active.state_reason) == ("active", "")
    assert portal_client(active, federation.user("alpha-admin")).get("/").status_code == 200


def test_reactivating_an_active_agency_is_refused(federation):
    response = root(federation).post(
        f"/tenants/{federation.alpha.pk}/", {"action": "reactivate", "state-reason": ""}, **EN
    )
    assert response.status_code == 400
    assert response.context["state_form"].non_field_errors() == [
        "Only a suspended agency can be reactivated (it is Active)."
    ]


def test_onboarding_needs_the_csrf_token(federation):
    client = Client(HTTP_HOST=host_of(None), enforce_csrf_checks=True)
    client.force_login(federation.user("root"))
    assert client.post("/tenants/new/", NEW).status_code == 403
    response = client.post(
        f"/tenants/{federation.alpha.pk}/", {"action": "suspend", "state-reason": "x"}
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(slug="gamma").exists()
    assert Agency.objects.get(pk=federation.alpha.pk).state == AgencyState.ACTIVE
