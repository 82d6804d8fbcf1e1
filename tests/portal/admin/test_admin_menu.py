"""The menu leads each role to the administration pages it may open, and only those."""

import pytest

from tests.portal.client import portal_client

pytestmark = pytest.mark.django_db

ADMIN_LINKS = ('href="/catalogue/"', 'href="/licences/"', 'href="/tenants/"')


def links(client) -> tuple[bool, ...]:
    html = client.get("/").content.decode()
    return tuple(link in html for link in ADMIN_LINKS)


def test_the_central_menu_by_role(federation):
    assert links(portal_client(None, federation.user("root"))) == (True, True, True)
    assert links(portal_client(None, federation.user("cat"))) == (True, True, False)
    assert links(portal_client(None, federation.user("desk"))) == (False, False, False)
    assert links(portal_client(None, federation.user("fin"))) == (False, False, False)


def test_the_agency_menu_shows_people_to_admins_only(federation):
    admin = portal_client(federation.alpha, federation.user("alpha-admin")).get("/")
    staff = portal_client(federation.alpha, federation.user("alpha-staff")).get("/")
    assert 'href="/seats/people/"' in admin.content.decode()
    assert 'href="/seats/people/"' not in staff.content.decode()
