"""Licences in the central Django admin: pages open, lists cost constant queries, quotas are
edited without touching the seat counters, and the usage CSV upload works (or refuses)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as django_reverse
from django.utils import translation

from services.audit.models import AuditEvent
from services.licences.alerts import check_licence_alerts
from services.licences.models import (
    AgencyQuota,
    LicenceAlert,
    LicencePool,
    SeatSnapshot,
    UsageImport,
)
from services.licences.reconciliation import import_usage
from services.licences.snapshots import snapshot_seats
from tenants.models import RoleGrant, User
from tenants.roles import Role
from tests.licences.test_reconciliation import (
    days_ago,
    give_quota,
    give_seat,
    last_used,
    make_pool,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


def _client(user, **kwargs) -> Client:
    client = Client(HTTP_HOST="localhost", **kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def su(federation):
    """A superuser who is also a central platform admin (the import's own rule)."""
    user = User.objects.create_superuser("su", "pw")
    RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    return user


@pytest.fixture
def scene(federation):
    pool = make_pool(product="Kontorspaket", total=10)
    give_quota(pool, federation.alpha, quota=5, held=4)
    give_quota(pool, federation.beta, quota=3, held=2)
    anna = give_seat(pool, federation.alpha, "anna@alfa.example")
    return pool, anna


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("usage.csv", text.encode("utf-8"), content_type="text/csv")


def _page(response) -> str:
    return response.content.decode()


def test_every_licence_page_opens(federation, su, scene):
    pool, _anna = scene
    import_usage(su, pool.pk, f"email,last_used\nanna@alfa.example,{today()}\n")
    check_licence_alerts()
    snapshot_seats(today())
    client = _client(su)
    pages = [
        reverse("admin:licences_licencepool_changelist"),
        reverse("admin:licences_licencepool_add"),
        reverse("admin:licences_licencepool_change", args=[pool.pk]),
        reverse("admin:licences_licencepool_usage", args=[pool.pk]),
        reverse("admin:licences_usageimport_changelist"),
        reverse("admin:licences_usageimport_change", args=[UsageImport.objects.get().pk]),
        reverse("admin:licences_licencealert_changelist"),
        reverse("admin:licences_seatsnapshot_changelist"),
        reverse("admin:licences_seatsnapshot_change", args=[SeatSnapshot.objects.first().pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    change = _page(client.get(pages[2]))
    # the pool's page shows its position, the quotas with read-only counters, the upload link
    assert "owned 10, held 6, assigned 1, used 1" in change
    assert 'name="quotas-0-quota_seats"' in change
    assert 'name="quotas-0-held_seats"' not in change
    assert reverse("admin:licences_licencepool_usage", args=[pool.pk]) in change
    # the records are read-only: no add pages
    assert client.get(reverse("admin:licences_usageimport_add")).status_code == 403
    assert client.get(reverse("admin:licences_licencealert_add")).status_code == 403


def test_people_without_staff_status_do_not_get_the_pages(federation, scene):
    pool, _anna = scene
    client = _client(federation.user("cat"))
    response = client.get(reverse("admin:licences_licencepool_usage", args=[pool.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_csv_upload_imports_usage(federation, su, scene):
    pool, anna = scene
    client = _client(su)
    url = reverse("admin:licences_licencepool_usage", args=[pool.pk])
    # when the vendor's report is uploaded on the pool's page
    response = client.post(
        url,
        {
            "file": _csv(
                f"\ufeffemail,last_used\nanna@alfa.example,{days_ago(2)}\n"
                f"okand@vendor.example,{today()}\n"
            )
        },
        follow=True,
    )
    # then it lands back on the pool's page with the result
    assert response.redirect_chain == [
        (reverse("admin:licences_licencepool_change", args=[pool.pk]), 302)
    ]
    page = _page(response)
    assert "Usage report imported: 2 lines, 1 matched, 1 used without a seat." in page
    assert "Länsstyrelsen Alfa: 1 used, 0 unused for 60 days, 0 over quota." in page
    assert "Länsstyrelsen Beta: 0 used, 0 unused for 60 days, 0 over quota." in page
    # and the seat and public records are updated
    assert last_used(federation.alpha, anna) == days_ago(2)
    assert UsageImport.objects.get().imported_by_id == su.pk


def test_a_bad_csv_upload_lists_the_lines_and_changes_nothing(federation, su, scene):
    pool, anna = scene
    client = _client(su)
    url = reverse("admin:licences_licencepool_usage", args=[pool.pk])
    response = client.post(
        url,
        {
            "file": _csv(
                f"email,last_used\nanna@alfa.example,{today()}\nbo@alfa.example,igår\n,{today()}\n"
            )
        },
    )
    assert response.status_code == 200
    page = _page(response)
    assert "Line 3: &quot;igår&quot; is not a date (YYYY-MM-DD)." in page
    assert "Line 4: the e-mail address is empty." in page
    assert UsageImport.objects.count() == 0
    assert last_used(federation.alpha, anna) is None


def test_a_file_that_is_not_utf8_is_refused(federation, su, scene):
    pool, _anna = scene
    client = _client(su)
    url = reverse("admin:licences_licencepool_usage", args=[pool.pk])
    bad = SimpleUploadedFile(
        "usage.csv", "email,last_used\nåsa@x.example,2026-01-01\n".encode("latin-1")
    )
    page = _page(client.post(url, {"file": bad}))
    assert "The file is not UTF-8 text." in page
    assert UsageImport.objects.count() == 0


def test_a_superuser_without_a_central_role_cannot_import(federation, scene):
    pool, anna = scene
    client = _client(User.objects.create_superuser("su2", "pw"))
    url = reverse("admin:licences_licencepool_usage", args=[pool.pk])
    page = _page(
        client.post(url, {"file": _csv(f"email,last_used\nanna@alfa.example,{today()}\n")})
    )
    assert "Importing licence usage needs the catalogue manager or platform admin role." in page
    assert UsageImport.objects.count() == 0
    assert last_used(federation.alpha, anna) is None


def test_the_upload_is_csrf_protected(federation, su, scene):
    pool, anna = scene
    client = _client(su, enforce_csrf_checks=True)
    url = reverse("admin:licences_licencepool_usage", args=[pool.pk])
    response = client.post(url, {"file": _csv(f"email,last_used\nanna@alfa.example,{today()}\n")})
    assert response.status_code == 403
    assert UsageImport.objects.count() == 0
    assert last_used(federation.alpha, anna) is None


def _pool_form(pool, quotas: list[tuple[AgencyQuota | None, int, int]]) -> dict:
    """The pool's change form as a browser posts it; quotas as (row or None, agency, seats)."""
    data = {
        "product": pool.product,
        "supplier": pool.supplier_id,
        "offering": "",
        "starts_on": pool.starts_on.isoformat(),
        "ends_on": pool.ends_on.isoformat(),
        "renewal_on": pool.renewal_on.isoformat(),
        "total_seats": pool.total_seats,
        "seat_monthly_ore": pool.seat_monthly_ore,
        "true_up_max_seats": pool.true_up_max_seats,
        "quotas-TOTAL_FORMS": len(quotas),
        "quotas-INITIAL_FORMS": sum(1 for q in quotas if q[0] is not None),
        "quotas-MIN_NUM_FORMS": 0,
        "quotas-MAX_NUM_FORMS": 1000,
    }
    for i, (row, agency_id, seats) in enumerate(quotas):
        data[f"quotas-{i}-id"] = row.pk if row else ""
        data[f"quotas-{i}-pool"] = pool.pk
        data[f"quotas-{i}-agency"] = agency_id
        data[f"quotas-{i}-quota_seats"] = seats
    return data


def test_quotas_are_edited_without_touching_the_seat_counters(federation, su, scene):
    pool, _anna = scene
    alpha_q = AgencyQuota.objects.get(pool=pool, agency=federation.alpha)
    beta_q = AgencyQuota.objects.get(pool=pool, agency=federation.beta)
    client = _client(su)
    url = reverse("admin:licences_licencepool_change", args=[pool.pk])
    # given the form was loaded, and then alpha's seat counters moved (a draw elsewhere)
    form = _pool_form(pool, [(alpha_q, federation.alpha.pk, 6), (beta_q, federation.beta.pk, 3)])
    AgencyQuota.objects.filter(pk=alpha_q.pk).update(held_seats=5)
    # when the quota change is saved
    response = client.post(url, form)
    # then the quota changed, and the counters are those of the seat accounting
    assert response.status_code == 302, _page(response)
    alpha_q.refresh_from_db()
    assert (alpha_q.quota_seats, alpha_q.held_seats, alpha_q.assigned_seats) == (6, 5, 1)
    event = AuditEvent.objects.get(action="licence_quota.set")
    assert (event.agency_id, event.changes) == (
        federation.alpha.pk,
        {"via": "admin", "quota_seats": [5, 6]},
    )


def test_quotas_over_the_seats_owned_are_refused(federation, su, scene):
    pool, _anna = scene
    alpha_q = AgencyQuota.objects.get(pool=pool, agency=federation.alpha)
    beta_q = AgencyQuota.objects.get(pool=pool, agency=federation.beta)
    client = _client(su)
    url = reverse("admin:licences_licencepool_change", args=[pool.pk])
    form = _pool_form(pool, [(alpha_q, federation.alpha.pk, 8), (beta_q, federation.beta.pk, 3)])
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Quotas would total 11 seats; the pool owns 10." in _page(response)
    assert sorted(AgencyQuota.objects.filter(pool=pool).values_list("quota_seats", flat=True)) == [
        3,
        5,
    ]


def test_seats_move_between_agencies_in_one_save_through_the_action(federation, su, scene):
    pool, _anna = scene  # alpha 5 and beta 3 of 10 seats
    alpha_q = AgencyQuota.objects.get(pool=pool, agency=federation.alpha)
    beta_q = AgencyQuota.objects.get(pool=pool, agency=federation.beta)
    url = reverse("admin:licences_licencepool_change", args=[pool.pk])
    # when beta's quota rises past what alpha frees in the same save (3 + 5 > 10 - 2 is fine
    # only once alpha's is lowered first)
    form = _pool_form(pool, [(beta_q, federation.beta.pk, 7), (alpha_q, federation.alpha.pk, 2)])
    response = _client(su).post(url, form)
    assert response.status_code == 302, _page(response)
    quotas = dict(AgencyQuota.objects.filter(pool=pool).values_list("agency_id", "quota_seats"))
    assert quotas == {federation.alpha.pk: 2, federation.beta.pk: 7}
    # and each quota was set by the action (its audit event, said to come from the admin)
    events = AuditEvent.objects.filter(action="licence_quota.set").order_by("pk")
    assert [e.changes for e in events] == [
        {"via": "admin", "quota_seats": [5, 2]},
        {"via": "admin", "quota_seats": [3, 7]},
    ]


def test_a_new_quota_is_added_from_the_pools_page(federation, su):
    pool = make_pool(product="Ritprogram", total=10)
    client = _client(su)
    url = reverse("admin:licences_licencepool_change", args=[pool.pk])
    response = client.post(url, _pool_form(pool, [(None, federation.beta.pk, 4)]))
    assert response.status_code == 302, _page(response)
    quota = AgencyQuota.objects.get(pool=pool)
    assert (quota.agency_id, quota.quota_seats, quota.held_seats) == (federation.beta.pk, 4, 0)


def _list_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"admin:licences_{model}_changelist"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_lists_cost_the_same_queries_for_2_and_8_pools(federation, su):
    client = _client(su)
    soon = dt.timedelta(days=10)  # every pool raises a renewal alert

    def fill(start, n):
        for i in range(start, start + n):
            pool = make_pool(product=f"Produkt {i}", total=10, renewal_on=today() + soon)
            give_quota(pool, federation.alpha, quota=2, held=2)
            give_quota(pool, federation.beta, quota=2, held=1)
            import_usage(su, pool.pk, "email,last_used\n")
        check_licence_alerts()
        snapshot_seats(today())

    models = ["licencepool", "usageimport", "licencealert", "seatsnapshot"]
    fill(0, 2)
    few = {m: _list_queries(client, m) for m in models}
    fill(2, 6)
    many = {m: _list_queries(client, m) for m in models}
    assert LicencePool.objects.count() == 8
    assert LicenceAlert.objects.count() == 8
    assert few == many
