"""The licence pool pages of the central host: pools with their compliance position, and the
seats each agency holds and assigns."""

import datetime as dt

import pytest
from django.utils import timezone

from services.licences.models import UsageCount, UsageImport
from tests.portal.admin.conftest import hold, make_pool
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("username", ["desk", "fin", "tech", "nobody", "alpha-admin"])
def test_other_roles_cannot_open_the_pools(federation, cat, username):
    pool = make_pool(cat, "adm Office")
    client = portal_client(None, federation.user(username))
    assert client.get("/licences/").status_code == 403
    assert client.get(f"/licences/{pool.pk}/").status_code == 403


def test_agency_hosts_have_no_pool_pages(federation, cat):
    pool = make_pool(cat, "adm Office")
    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert client.get(f"/licences/{pool.pk}/").status_code == 404


def test_the_pool_list_shows_held_assigned_and_over_assignment(federation, cat):
    # given a pool of 10 seats where alpha holds 8 and beta 4 (2 in true-up)
    pool = make_pool(cat, "adm Office", total=10)
    pool.true_up_allowed, pool.true_up_max_seats = True, 5
    pool.save()
    hold(pool, federation.alpha, quota=6, held=8, assigned=7)
    hold(pool, federation.beta, quota=4, held=4, assigned=1)
    # when the catalogue manager opens the list
    response = portal_client(None, federation.user("cat")).get("/licences/", **EN)
    # then the pool's position adds both agencies up, and says it is over
    [row] = [r for r in response.context["rows"] if r["pool"].pk == pool.pk]
    pos = row["position"]
    assert (pos.owned, pos.quotas, pos.held, pos.assigned, pos.true_up_in_use) == (
        10,
        10,
        12,
        8,
        2,
    )
    assert pos.assigned_unused is None  # no usage report yet: unknown, not zero
    assert "Over-assigned by 2 seats (true-up)" in response.content.decode()


def test_the_pool_page_shows_each_agency_and_unused_seats_after_an_import(federation, cat):
    pool = make_pool(cat, "adm Office", total=50)
    hold(pool, federation.alpha, quota=30, held=34, assigned=20)
    hold(pool, federation.beta, quota=10, held=5, assigned=5)
    imported = UsageImport.objects.create(
        pool=pool,
        rows=25,
        matched=25,
        used_unassigned=0,
        imported_at=timezone.now() - dt.timedelta(days=1),
    )
    UsageCount.objects.create(
        usage_import=imported,
        agency=federation.alpha,
        matched=20,
        used_seats=14,
        assigned_unused_seats=6,
        unused_days=60,
    )
    response = portal_client(None, federation.user("root")).get(f"/licences/{pool.pk}/", **EN)
    assert response.status_code == 200
    rows = [
        (
            r["agency"].slug,
            r["position"].quota,
            r["position"].held,
            r["position"].assigned,
            r["position"].over_quota,
            r["position"].under_quota,
            r["position"].used,
            r["position"].assigned_unused,
        )
        for r in response.context["rows"]
    ]
    # beta had no seats used in the report: zero, not unknown
    assert rows == [("alpha", 30, 34, 20, 4, 0, 14, 6), ("beta", 10, 5, 5, 0, 5, 0, 0)]
    assert response.context["position"].assigned_unused == 6
    assert "6 seats unused" in response.content.decode()


def test_an_unknown_pool_is_not_found(federation, cat):
    assert portal_client(None, federation.user("cat")).get("/licences/999999/").status_code == 404


def test_the_pool_list_keeps_its_queries_for_2_and_10_pools(federation, cat):
    client = portal_client(None, federation.user("cat"))
    for i in range(2):
        hold(make_pool(cat, f"adm P{i}"), federation.alpha, quota=1, held=1)
    few, first = count_queries(lambda: client.get("/licences/"))
    for i in range(2, 10):
        hold(make_pool(cat, f"adm P{i}"), federation.beta, quota=2, held=1)
    more, second = count_queries(lambda: client.get("/licences/"))
    assert len(second.context["rows"]) - len(first.context["rows"]) == 8
    assert more == few


def test_the_pool_list_is_paginated(federation, cat):
    for i in range(26):
        make_pool(cat, f"adm Pool {i:02}")
    client = portal_client(None, federation.user("cat"))
    first = client.get("/licences/", **EN)
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.num_pages >= 2
    assert 'href="?page=2"' in first.content.decode()


def test_the_pool_page_keeps_its_queries_for_2_and_10_agencies(federation, cat):
    from tenants.models import Agency, AgencyKind

    # given agency rows without schemas (the page reads public only)
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"zz {i:02}",
            slug=f"zz-{i:02}",
            schema_name=f"agency_zz_{i:02}",
            kind=AgencyKind.AGENCY,
            state="active",
        )
        for i in range(10)
    )
    pool = make_pool(cat, "adm Office", total=100)
    for agency in agencies[:2]:
        hold(pool, agency, quota=3, held=2, assigned=1)
    client = portal_client(None, federation.user("cat"))
    few, first = count_queries(lambda: client.get(f"/licences/{pool.pk}/"))
    for agency in agencies[2:]:
        hold(pool, agency, quota=3, held=2, assigned=1)
    more, second = count_queries(lambda: client.get(f"/licences/{pool.pk}/"))
    assert (len(first.context["rows"]), len(second.context["rows"])) == (2, 10)
    assert second.context["position"].held == 20
    assert more == few


@pytest.mark.parametrize("username", ["root", "cat", "desk", "fin", "tech"])
def test_the_api_and_the_pages_agree_on_who_reads_the_pools(federation, cat, username):
    from tests.graphql import gql

    make_pool(cat, "adm Office")
    user = federation.user(username)
    page = portal_client(None, user).get("/licences/").status_code
    listed = gql("{ licencePools { totalCount } }", user=user).data["licencePools"]["totalCount"]
    # one rule (tenants.roles.CATALOGUE_KEEPERS): the page opens exactly when the API lists
    assert (page == 200) == (listed > 0)
    assert page in (200, 403)
