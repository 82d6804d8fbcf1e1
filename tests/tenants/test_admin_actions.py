"""The agency page of the Django admin writes through the agencies' actions
(`update_agency_profile`): the same rules beside the fields, an audit event for what changed,
nothing written on an error, and nothing at all for anyone but a platform admin. Identities are
read-only there."""

import pytest
from django.test import Client
from django.urls import reverse as django_reverse

from services.audit.models import AuditEvent
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    return django_reverse(name, args=args, urlconf="routes.central")


def _client(role: str | None) -> Client:
    user = User.objects.create_superuser(username=f"admin-{role}", password=PASSWORD)
    if role:
        RoleGrant.objects.create(user=user, role=role)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _form(client: Client, url: str) -> dict:
    """What the browser posts back for an unchanged agency page (its domains read-only)."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.total_form_count())
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for i, row in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = row.instance.pk
    return data


def test_the_agency_page_saves_the_profile_through_the_action(federation):
    alpha = federation.alpha
    client = _client(Role.PLATFORM_ADMIN)
    url = reverse("admin:tenants_agency_change", args=[alpha.pk])
    data = _form(client, url)
    data.update({"name": "", "security_level": "9"})
    # a bad value: both errors beside their fields, nothing written
    page = client.post(url, data)
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert set(errors) >= {"name", "security_level"}
    assert Agency.objects.get(pk=alpha.pk).name == alpha.name
    assert not AuditEvent.objects.filter(action="agency.updated").exists()
    # a good one: written, and audited with what changed
    data.update({"name": "Länsstyrelsen Alfa (ny)", "security_level": "3"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Agency.objects.get(pk=alpha.pk)
    assert (saved.name, saved.security_level) == ("Länsstyrelsen Alfa (ny)", 3)
    event = AuditEvent.objects.get(action="agency.updated")
    assert event.changes == {"name": "Länsstyrelsen Alfa (ny)", "security_level": 3}


def test_only_a_platform_admin_may_change_an_agency(federation):
    alpha = federation.alpha
    client = _client(Role.CATALOGUE_MANAGER)  # a superuser flag alone is not a platform role
    url = reverse("admin:tenants_agency_change", args=[alpha.pk])
    data = _form(client, url)
    data["name"] = "Kaprad"
    response = client.post(url, data)
    assert response.status_code in (302, 403)
    assert Agency.objects.get(pk=alpha.pk).name == alpha.name


def test_identities_are_read_only_in_the_admin(federation):
    client = _client(Role.PLATFORM_ADMIN)
    user = User.objects.get(username="alpha-admin")
    url = reverse("admin:tenants_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    assert list(form.fields) == []  # every field shown read-only
    client.post(url, {"username": "renamed", "is_superuser": "on"})
    user.refresh_from_db()
    assert (user.username, user.is_superuser) == ("alpha-admin", False)
