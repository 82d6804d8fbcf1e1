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
    # a page of one role never shows in the other's menu (agreement compliance is read by
    # both: finance follows the agreements it pays for)
    assert not any(u.startswith("/support/") and u != "/support/compliance/" for u in fin_urls)
    assert not any(u.startswith("/costs/") for u in desk_urls)


def test_an_agency_host_refuses_members_of_another_agency(federation):
    client = portal_client(federation.alpha, federation.user("beta-admin"))
    response = client.get("/")
    # then the page is refused and no menu of alpha's is offered
    assert response.status_code == 403
    assert response.context["portal_menu"] == []


def test_every_page_names_its_icon_and_the_icon_is_served(federation):
    from django.contrib.staticfiles import finders

    page = portal_client(federation.alpha, federation.user("alpha-staff")).get("/")
    assert b'rel="icon"' in page.content and b"samnav/favicon.svg" in page.content
    # the file behind it exists among the static files (no 404 in the browser's console)
    assert finders.find("samnav/favicon.svg")


@pytest.mark.parametrize(
    ("language", "date", "when", "amount"),
    [
        ("en", "7 Dec 2026", "7 Dec 2026 15:04", "1,234.50"),
        ("sv", "7 december 2026", "7 december 2026 15:04", "1\xa0234,50"),
    ],
)
def test_dates_and_numbers_read_as_the_language_writes_them(language, date, when, amount):
    # English is written the British way: day before month, a 24-hour clock, no "p.m."
    import datetime as dt
    from decimal import Decimal

    from django.utils import formats, translation

    with translation.override(language):
        assert formats.date_format(dt.date(2026, 12, 7)) == date
        assert formats.date_format(dt.datetime(2026, 12, 7, 15, 4), "DATETIME_FORMAT") == when
        assert formats.number_format(Decimal("1234.50"), 2, force_grouping=True) == amount


def test_every_description_a_field_points_at_exists(federation):
    # Django names a field's help "id_X_helptext" in aria-describedby; the element must carry
    # that id, or screen readers announce nothing (issue 21). A form with help and an error:
    import re

    client = portal_client(federation.alpha, federation.user("alpha-admin"))
    page = client.post("/identity/add/oidc/", {"name": ""}).content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = [i for v in re.findall(r'aria-describedby="([^"]+)"', page) for i in v.split()]
    assert any(i.endswith("_helptext") for i in described)
    assert any(i.endswith("_error") for i in described)
    assert [i for i in described if i not in ids] == []
