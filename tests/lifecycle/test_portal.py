"""The replacement proposals page of an agency's admins: the list (constant queries), accept
(places the order), dismiss (needs a reason); staff and other agencies are refused."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import propose
from services.ordering.models import Order
from tests.lifecycle.conftest import TODAY, device
from tests.portal.client import count_queries, portal_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAGE = "/devices/replacements/"


def _proposals(agency, n):
    for i in range(n):
        device(agency, f"W{agency.slug}{i}", warranty=10 + i)
    return propose(agency, TODAY)


def test_the_admin_lists_accepts_and_dismisses(federation, cat, admins):
    alpha = federation.alpha
    first, second, *_ = _proposals(alpha, 3)
    client = portal_client(alpha, federation.user("alpha-admin"))
    page = client.get(PAGE, **EN)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("<h1>") == 1 and "Walpha0" in body and cat.laptop_std.name in body
    # accept: the order is placed through the ordering rules
    r = client.post(f"{PAGE}{first.pk}/accept/", **EN)
    assert r.status_code == 302
    with schema_context(alpha.schema_name):
        assert ReplacementProposal.objects.get(pk=first.pk).state == "ordered"
        assert Order.objects.count() == 1
    # dismiss without a reason: refused, with the reason named; with one: dismissed
    r = client.post(
        f"{PAGE}{second.pk}/dismiss/", {f"dismiss-{second.pk}-reason": ""}, follow=True, **EN
    )
    assert "Give a reason." in r.content.decode()
    with schema_context(alpha.schema_name):
        assert ReplacementProposal.objects.get(pk=second.pk).state == "proposed"
    client.post(f"{PAGE}{second.pk}/dismiss/", {f"dismiss-{second.pk}-reason": "Ny i vår"}, **EN)
    with schema_context(alpha.schema_name):
        assert ReplacementProposal.objects.get(pk=second.pk).state == "dismissed"
    # the open list no longer shows them; all=1 does, with their state
    body = client.get(PAGE, **EN).content.decode()
    assert f'data-proposal="{first.pk}"' not in body
    body = client.get(f"{PAGE}?all=1", **EN).content.decode()
    assert f'data-proposal="{first.pk}"' in body and "Ny i vår" in body


def test_the_list_keeps_a_constant_number_of_queries(federation, cat, admins):
    alpha = federation.alpha
    client = portal_client(alpha, federation.user("alpha-admin"))
    _proposals(alpha, 2)
    few, _ = count_queries(lambda: client.get(f"{PAGE}?all=1", **EN))
    with schema_context(alpha.schema_name):
        for i in range(8):
            device(alpha, f"X{i}", warranty=20 + i)
    propose(alpha, TODAY)
    many, page = count_queries(lambda: client.get(f"{PAGE}?all=1", **EN))
    assert page.content.decode().count("data-proposal=") == 10
    assert many == few


def test_staff_and_other_agencies_are_refused(federation, cat, admins):
    alpha, beta = federation.alpha, federation.beta
    [theirs] = _proposals(beta, 1)
    staff = portal_client(alpha, federation.user("alpha-staff"))
    assert staff.get(PAGE, **EN).status_code == 403
    assert staff.post(f"{PAGE}{theirs.pk}/accept/", **EN).status_code == 403
    # alpha's admin with beta's id: no such proposal in alpha, nothing ordered in beta
    admin = portal_client(alpha, federation.user("alpha-admin"))
    r = admin.post(f"{PAGE}{theirs.pk}/accept/", follow=True, **EN)
    assert "No such proposal." in r.content.decode()
    with schema_context(beta.schema_name):
        assert ReplacementProposal.objects.get(pk=theirs.pk).state == "proposed"
        assert not Order.objects.exists()
