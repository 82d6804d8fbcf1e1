"""Onboarding: the template clone, and bad input that creates nothing."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from services.agencies import actions
from services.people.models import Person
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


STRUCTURE = {
    "columns": """SELECT table_name, column_name, data_type, is_nullable, is_identity,
                         column_default IS NOT NULL
                    FROM information_schema.columns WHERE table_schema = %s""",
    "constraints": """SELECT cl.relname, con.contype, pg_get_constraintdef(con.oid)
                        FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
                        JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s""",
    "indexes": """SELECT tablename, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ')
                    FROM pg_indexes WHERE schemaname = %s""",
}


def _normalised(text: str) -> str:
    """Index predicates deparse with their casts in other places once replayed (the same
    predicate): compare without casts and brackets."""
    return re.sub(r"::[a-z ]+(\[\])?|[()]", "", text)


def _structure(schema):
    out = {}
    with connection.cursor() as cur:
        cur.execute("SET LOCAL search_path TO pg_catalog")  # print every name qualified
        for key, sql in STRUCTURE.items():
            cur.execute(sql, [schema])
            out[key] = sorted(
                tuple(_normalised(str(v).replace(f"{schema}.", "<schema>.")) for v in row)
                for row in cur.fetchall()
            )
    connection.set_schema_to_public()
    return out


def test_a_clone_has_the_templates_structure_and_its_own_foreign_keys(federation):
    # given the migrated template, when an agency is cloned from it
    actions.onboard_agency(None, actions.AgencyInput(**GOOD))
    template, clone = _structure("samnav_template"), _structure("agency_gamma")
    # then columns, constraints and indexes are the same, schema names aside
    assert clone == template
    assert len(clone["constraints"]) > 10
    # and its foreign keys point into its own schema or public, never into the template
    fks = [c for c in clone["constraints"] if c[1] == "f"]
    assert fks and all("samnav_template" not in c[2] for c in fks)
    assert any("public.catalogue_offering" in c[2] for c in fks)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM agency_gamma.django_migrations")
        clone_rows = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM samnav_template.django_migrations")
        assert clone_rows == cur.fetchone()[0] > 20
        # the identity sequence continues after the copied rows
        cur.execute(
            "INSERT INTO agency_gamma.django_migrations (app, name, applied) "
            "VALUES ('x', 'y', now()) RETURNING id"
        )
        assert cur.fetchone()[0] == clone_rows + 1
