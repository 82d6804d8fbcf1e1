"""Onboarding: the template clone, and bad input that creates nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from services.people.models import Person
from tenants import actions
from tenants.models import Agency, AgencyState, Domain

pytestmark = pytest.mark.django_db

GOOD = {"name": "Länsstyrelsen Gamma", "slug": "gamma", "org_number": "2021998030"}


def _footprint():
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_namespace")
        schemas = cur.fetchone()[0]
    return Agency.objects.count(), Domain.objects.count(), schemas


def test_onboarding_clones_the_template_into_a_working_schema(federation):
    # given a valid agency
    # when it is onboarded
    agency = actions.onboard_agency(federation.user("root"), actions.AgencyInput(**GOOD))
    # then it is active, has its schema with the tenant tables, and its host
    assert agency.state == AgencyState.ACTIVE
    assert agency.schema_name == "agency_gamma"
    assert schema_exists("agency_gamma")
    assert Domain.objects.get(tenant=agency).domain == "gamma.localhost"
    with schema_context("agency_gamma"):
        Person.objects.create(name="Anna Andersson")
        assert Person.objects.count() == 1
    with schema_context(federation.alpha.schema_name):
        assert not Person.objects.filter(name="Anna Andersson").exists()


def test_the_org_number_is_stored_in_canonical_form(federation):
    agency = actions.onboard_agency(
        None, actions.AgencyInput(**{**GOOD, "org_number": "202199-8030"})
    )
    assert agency.org_number == "202199-8030"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"slug": "alpha"}, "slug", "duplicate"),
        ({"slug": "public"}, "slug", "reserved"),
        ({"slug": "template"}, "slug", "reserved"),
        ({"slug": "www"}, "slug", "reserved"),
        ({"slug": "Bad Slug!"}, "slug", "invalid"),
        ({"org_number": "2021998031"}, "org_number", "invalid"),
        ({"org_number": "12345"}, "org_number", "invalid"),
        ({"org_number": "2021998014"}, "org_number", "duplicate"),
        ({"security_level": 0}, "security_level", "out_of_range"),
        ({"availability_level": 5}, "availability_level", "out_of_range"),
        ({"name": "  "}, "name", "required"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(federation, change, field, code):
    # given the federation as it is
    before = _footprint()
    # when onboarding with one bad field
    with pytest.raises(ValidationError) as raised:
        actions.onboard_agency(None, actions.AgencyInput(**{**GOOD, **change}))
    # then the error names that field and its reason, and nothing was created
    errors = raised.value.error_dict
    assert field in errors
    assert code in [e.code for e in errors[field]]
    assert _footprint() == before
    assert not schema_exists("agency_gamma")


def test_only_a_platform_admin_may_onboard(federation):
    before = _footprint()
    for name in ("cat", "alpha-admin", "nobody"):
        with pytest.raises(PermissionDenied):
            actions.onboard_agency(federation.user(name), actions.AgencyInput(**GOOD))
    assert _footprint() == before


def test_a_failure_after_the_clone_rolls_back_the_schema_too(federation, monkeypatch):
    # given a domain write that fails after the schema was cloned
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Domain.objects, "create", boom)
    before = _footprint()
    with pytest.raises(RuntimeError):
        actions.onboard_agency(None, actions.AgencyInput(**GOOD))
    # then neither row nor schema remains
    assert _footprint() == before
    assert not schema_exists("agency_gamma")
