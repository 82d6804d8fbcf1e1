"""The portal's shell: the menu shows what the role may open on this host, and only there."""

import pytest

from tests.portal.client import portal_client

pytestmark = pytest.mark.django_db


def test_the_menu_of_an_agency_staff_member_has_no_admin_pages(federation):
    # given alpha's staff member on alpha's host
    client = portal_client(federation.alpha, federation.user("alpha-staff"))
    # when the home page is shown
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    # then the menu lists the pages every member may open, not the admin's
    labels = [item["label"] for item in response.context["portal_menu"]]
    assert "Home" in labels
    assert "Catalogue" not in labels and "Orders" not in labels


def test_the_central_menu_follows_central_roles(federation):
    finance = portal_client(None, federation.user("fin"))
    desk = portal_client(None, federation.user("desk"))
    fin_urls = {i["url"] for i in finance.get("/").context["portal_menu"]}
    desk_urls = {i["url"] for i in desk.get("/").context["portal_menu"]}
    assert "/" in fin_urls and "/" in desk_urls
    # a page of one role never shows in the other's menu
    assert not any(u.startswith("/support/") for u in fin_urls)
    assert not any(u.startswith("/costs/") for u in desk_urls)


def test_an_agency_host_refuses_members_of_another_agency(federation):
    client = portal_client(federation.alpha, federation.user("beta-admin"))
    response = client.get("/")
    # then the page is refused and no menu of alpha's is offered
    assert response.status_code == 403
    assert response.context["portal_menu"] == []
