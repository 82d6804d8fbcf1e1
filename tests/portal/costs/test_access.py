"""Who opens the central cost pages: finance (reads and writes), platform admins (read
only); staff, agency admins and the other central roles get 403 and change nothing. CSRF is
enforced on every form."""

from __future__ import annotations

import pytest
from django.test import Client

from services.costs.models import AllocationKey, AllocationRun, CostPool, Dispute, Period
from tests.graphql import host_of
from tests.portal.client import portal_client
from tests.portal.costs.conftest import line_of

pytestmark = pytest.mark.django_db


def urls(p, line, dispute):
    return (
        "/costs/",
        f"/costs/{p}/",
        f"/costs/{p}/pools/new/",
        f"/costs/{p}/pools/import/",
        f"/costs/{p}/lines/",
        f"/costs/{p}/statements/",
        f"/costs/{p}/disputes/",
        f"/costs/disputes/{dispute}/",
        f"/costs/lines/{line}/correct/",
        f"/costs/{p}/report/",
        "/costs/keys/",
    )


def test_non_finance_central_roles_and_agency_users_get_403(disputed, federation):
    p, line, dispute = disputed.period.pk, disputed.line.pk, disputed.dispute.pk
    for name in ("cat", "desk", "tech", "nobody", "alpha-admin", "alpha-staff"):
        client = portal_client(None, federation.user(name))
        for url in urls(p, line, dispute):
            assert client.get(url).status_code == 403, (name, url)
        posts = {
            "/costs/": {"month": "2026-09"},
            f"/costs/{p}/pools/new/": {"name": "X", "category": "infrastructure", "amount": "1"},
            f"/costs/{p}/run/": {},
            f"/costs/{p}/close/": {},
            f"/costs/disputes/{dispute}/": {"resolution": "reject", "reason": "no"},
            "/costs/keys/": {"name": "Sneaky"},
        }
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, (name, url)
    assert Period.objects.count() == 1 and CostPool.objects.count() == 2
    assert not AllocationKey.objects.filter(name="Sneaky").exists()
    assert AllocationRun.objects.count() == 1
    assert Dispute.objects.get().state == "open"


def test_platform_admins_read_every_page_but_cannot_write(disputed, federation):
    p, line, dispute = disputed.period.pk, disputed.line.pk, disputed.dispute.pk
    root = portal_client(None, federation.user("root"))
    for url in urls(p, line, dispute):
        assert root.get(url).status_code == 200, url
    assert root.get(f"/costs/{p}/").context["may_write"] is False
    assert root.post(f"/costs/{p}/close/").status_code == 403
    assert root.post("/costs/", {"month": "2026-09"}).status_code == 403
    resolve = root.post(f"/costs/disputes/{dispute}/", {"resolution": "reject", "reason": "no"})
    assert resolve.status_code == 403
    assert Dispute.objects.get().state == "open" and Period.objects.count() == 1


def test_the_central_pages_are_not_on_an_agency_host(published, federation):
    # the agency host's /costs/<id>/ is the agency's statement, not finance's page
    fin_on_alpha = portal_client(federation.alpha, federation.user("fin"))
    assert fin_on_alpha.get(f"/costs/{published.period.pk}/lines/").status_code == 403
    admin_on_alpha = portal_client(federation.alpha, federation.user("alpha-admin"))
    assert admin_on_alpha.get(f"/costs/{published.period.pk}/lines/").status_code == 404
    assert admin_on_alpha.get("/costs/keys/").status_code == 404


def test_forms_need_the_csrf_token(published, federation):
    fin = Client(enforce_csrf_checks=True, HTTP_HOST=host_of(None))
    fin.force_login(federation.user("fin"))
    assert fin.post("/costs/", {"month": "2026-09"}).status_code == 403
    assert fin.post(f"/costs/{published.period.pk}/close/").status_code == 403
    assert Period.objects.count() == 1
    line = line_of(published.period, federation.alpha, published.servers)
    alpha = Client(enforce_csrf_checks=True, HTTP_HOST=host_of(federation.alpha))
    alpha.force_login(federation.user("alpha-admin"))
    response = alpha.post(f"/costs/lines/{line.pk}/dispute/", {"comment": "x"})
    assert response.status_code == 403
    assert alpha.post(f"/costs/{published.period.pk}/accept/").status_code == 403
    assert Dispute.objects.count() == 0
    # with the token from the page, the same post goes through
    page = alpha.get(f"/costs/lines/{line.pk}/dispute/")
    token = page.context["csrf_token"]
    ok = alpha.post(
        f"/costs/lines/{line.pk}/dispute/", {"comment": "x", "csrfmiddlewaretoken": str(token)}
    )
    assert ok.status_code == 302 and Dispute.objects.count() == 1
