"""Offboarding: a verified archive readable without Samnav, then the schema and host are gone."""

import csv
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context, schema_exists

from services.agencies import actions, offboarding
from services.audit.models import AuditEvent
from services.people.models import Person
from tenants import schemas
from tenants.models import Agency, AgencyState, Domain, RoleGrant, User
from tenants.roles import Role

pytestmark = pytest.mark.django_db

# 202199805 plus its Luhn check digit: a valid organisation number used nowhere else.
DELTA = {"name": "Länsstyrelsen Delta", "slug": "delta", "org_number": "2021998055"}
PEOPLE = [
    "Anna Andersson",
    "Björn Öberg, Jr.",  # a comma, and letters outside ASCII
    'Cecilia "Cissi" Ek',  # quotes
    "Dan\nDanielsson",  # a line break inside a field
]
PERSON_COLUMNS = [
    "id",
    "user_id",
    "name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "city",
    "employment_ends_on",
    "created_at",
    "anonymised_at",
    "cost_centre",
    "deactivated_at",
    "is_active",
    "work_city",
    "work_postal_code",
    "work_street_address",
    "external_id",
]


@pytest.fixture
def archive_dir(settings, tmp_path) -> Path:
    settings.SAMNAV_ARCHIVE_DIR = tmp_path / "archives"
    return settings.SAMNAV_ARCHIVE_DIR


@pytest.fixture
def delta(federation) -> Agency:
    """A fresh agency with a few people and an admin grant."""
    agency = actions.onboard_agency(None, actions.AgencyInput(**DELTA))
    with schema_context(agency.schema_name):
        for name in PEOPLE:
            Person.objects.create(name=name, email="" if "\n" in name else "x@example.se")
    admin = User.objects.create_user(username="delta-admin", password="x")
    RoleGrant.objects.create(user=admin, role=Role.AGENCY_ADMIN, agency=agency)
    return agency


def _archived_files(archive_dir: Path) -> list[str]:
    return sorted(p.name for p in archive_dir.rglob("*")) if archive_dir.exists() else []


def _read(zf: zipfile.ZipFile, folder: str, name: str) -> bytes:
    return zf.read(f"{folder}/{name}")


def _state(agency: Agency) -> tuple:
    agency.refresh_from_db()
    return (
        agency.state,
        schema_exists(agency.schema_name),
        Domain.objects.filter(tenant=agency).count(),
        RoleGrant.objects.filter(agency=agency).count(),
        AuditEvent.objects.filter(action="agency.offboarded").count(),
    )


def test_offboarding_writes_a_verified_archive_then_drops_the_schema(
    federation, delta, archive_dir
):
    # given an active agency with four people, and what its schema holds
    tables = schemas.tenant_tables(delta.schema_name)
    assert {"people_person", "django_migrations"} <= set(tables)
    other_grants = RoleGrant.objects.exclude(agency=delta).count()

    # when a platform admin offboards it
    result = offboarding.offboard_agency(federation.user("root"), "delta", "Merged into Alfa")

    # then one zip is left, named after the agency, and no loose folder
    assert result.archive.parent == archive_dir
    assert result.archive.name.startswith("delta-") and result.archive.suffix == ".zip"
    assert _archived_files(archive_dir) == [result.archive.name]
    assert result.row_counts["people_person"] == 4
    assert set(result.row_counts) == set(tables)

    folder = result.archive.name.removesuffix(".zip")
    with zipfile.ZipFile(result.archive) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(
            f"{folder}/{n}" for n in ["README.txt", "manifest.json", *(f"{t}.csv" for t in tables)]
        )
        manifest = json.loads(_read(zf, folder, "manifest.json"))
        people_csv = _read(zf, folder, "people_person.csv")
        readme = _read(zf, folder, "README.txt").decode("utf-8")

    # and the manifest describes the agency and every table
    assert manifest["format"] == "samnav-agency-archive"
    assert manifest["format_version"] == 1
    assert manifest["agency"] == {
        "id": delta.pk,
        "slug": "delta",
        "name": "Länsstyrelsen Delta",
        "org_number": "202199-8055",
    }
    assert manifest["schema"] == "agency_delta"
    assert manifest["exported_at"].endswith("+00:00")
    assert [t["table"] for t in manifest["tables"]] == tables
    people = next(t for t in manifest["tables"] if t["table"] == "people_person")
    assert people["file"] == "people_person.csv"
    assert people["rows"] == 4
    assert [c["name"] for c in people["columns"]] == PERSON_COLUMNS
    types = {c["name"]: c["type"] for c in people["columns"]}
    assert types["id"] == "bigint"
    assert types["name"] == "character varying"
    assert types["employment_ends_on"] == "date"
    assert types["created_at"] == "timestamp with time zone"
    assert people["sha256"] == hashlib.sha256(people_csv).hexdigest()
    migrations = next(t for t in manifest["tables"] if t["table"] == "django_migrations")
    assert migrations["rows"] > 0

    # and the CSV reads back with the stdlib alone, exactly
    rows = list(csv.DictReader(io.StringIO(people_csv.decode("utf-8"), newline="")))
    assert sorted(r["name"] for r in rows) == sorted(PEOPLE)
    assert list(rows[0]) == PERSON_COLUMNS
    assert sorted(r["email"] for r in rows) == ["", "x@example.se", "x@example.se", "x@example.se"]
    assert all(r["created_at"].endswith("+00") for r in rows)

    # and the README explains the format in Swedish and English
    assert "Svenska" in readme and "English" in readme
    assert "Länsstyrelsen Delta" in readme and "manifest.json" in readme

    # and the schema, the domains and the agency's grants are gone; the row stays, offboarded
    assert not schema_exists("agency_delta")
    assert not Domain.objects.filter(tenant=delta).exists()
    assert not Domain.objects.filter(domain="delta.localhost").exists()
    assert RoleGrant.objects.filter(agency=delta).count() == 0
    assert RoleGrant.objects.exclude(agency=delta).count() == other_grants
    delta.refresh_from_db()
    assert delta.state == AgencyState.OFFBOARDED
    assert delta.state_reason == "Merged into Alfa"
    event = AuditEvent.objects.get(action="agency.offboarded", object_id=str(delta.pk))
    assert event.actor == federation.user("root")
    assert event.agency == delta
    assert event.reason == "Merged into Alfa"
    # (delta-admin had a role in delta alone: that identity is closed with it)
    assert event.changes == {"archive": result.archive.name, "identities_closed": 1}

    # and the other agencies are untouched
    assert schema_exists(federation.alpha.schema_name)
    assert schema_exists(federation.beta.schema_name)


def test_the_csv_loads_back_into_postgresql_exactly(federation, delta, archive_dir):
    # given the people as stored, NULLs and empty texts included
    with schema_context(delta.schema_name):
        stored = list(Person.objects.order_by("id").values_list(*PERSON_COLUMNS))
    # when the agency is offboarded
    result = offboarding.offboard_agency(None, "delta", "Closed down")
    folder = result.archive.name.removesuffix(".zip")
    with zipfile.ZipFile(result.archive) as zf:
        manifest = json.loads(_read(zf, folder, "manifest.json"))
        people_csv = _read(zf, folder, "people_person.csv")
    # then NULL is an empty unquoted field and an empty text is "" (as README.txt says)
    assert re.search(rb'^\d+,,Anna Andersson,x@example.se,"","","","",,\d{4}-', people_csv, re.M)
    # and a table made from the manifest's columns and types takes the file back unchanged
    people = next(t for t in manifest["tables"] if t["table"] == "people_person")
    columns = ", ".join(f'"{c["name"]}" {c["type"]}' for c in people["columns"])
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE restored_person ({columns})")
        with cursor.copy("COPY restored_person FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
            cp.write(people_csv)
        cursor.execute(f"SELECT {', '.join(PERSON_COLUMNS)} FROM restored_person ORDER BY id")
        assert cursor.fetchall() == stored


def test_the_agency_host_serves_nothing_after_offboarding(federation, delta, archive_dir):
    # given the agency's host answers before
    client = Client()
    assert client.get("/healthz", HTTP_HOST="delta.localhost").status_code == 200
    # when it is offboarded
    offboarding.offboard_agency(None, "delta", "Closed down")
    # then its host is unknown: every path answers 400
    client.force_login(federation.user("root"))
    for path in ("/healthz", "/", "/graphql/"):
        assert client.get(path, HTTP_HOST="delta.localhost").status_code == 400
    assert client.get("/healthz", HTTP_HOST="alpha.localhost").status_code == 200


def test_migrate_schemas_still_runs_after_offboarding(federation, delta, archive_dir):
    # given an offboarded agency whose row remains without a schema
    offboarding.offboard_agency(None, "delta", "Closed down")
    assert Agency.objects.filter(slug="delta", state=AgencyState.OFFBOARDED).exists()
    # when every agency schema is migrated, then it succeeds and creates no schema for delta
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    assert not schema_exists("agency_delta")


def test_a_suspended_agency_can_be_offboarded(federation, delta, archive_dir):
    actions.suspend_agency(None, "delta", "Unpaid invoices")
    result = offboarding.offboard_agency(None, delta.pk, "Left the federation")
    assert result.agency.state == AgencyState.OFFBOARDED
    assert result.row_counts["people_person"] == 4
    assert not schema_exists("agency_delta")


def test_only_a_platform_admin_may_offboard(federation, delta, archive_dir):
    # given the agency as it is
    before = _state(delta)
    for name in ("cat", "fin", "alpha-admin", "delta-admin", "nobody"):
        # when someone else tries, then it is denied
        actor = federation.users.get(name) or User.objects.get(username=name)
        with pytest.raises(PermissionDenied):
            offboarding.offboard_agency(actor, "delta", "Not mine to close")
    # and nothing changed: schema, domain, grants and state are there, no archive was written
    assert _state(delta) == before == (AgencyState.ACTIVE, True, 1, 1, 0)
    assert _archived_files(archive_dir) == []


def test_an_unknown_agency_is_named_as_the_field(federation, archive_dir):
    for ref in ("no-such-agency", "template", "public", 999_999):
        with pytest.raises(ValidationError) as raised:
            offboarding.offboard_agency(None, ref, "Typo")
        assert [e.code for e in raised.value.error_dict["agency"]] == ["not_found"]
    assert schema_exists("samnav_template")
    assert _archived_files(archive_dir) == []


def test_a_reason_is_required(federation, delta, archive_dir):
    before = _state(delta)
    with pytest.raises(ValidationError) as raised:
        offboarding.offboard_agency(None, "delta", "   ")
    assert [e.code for e in raised.value.error_dict["reason"]] == ["required"]
    assert _state(delta) == before
    assert _archived_files(archive_dir) == []


def test_offboarding_twice_is_an_invalid_state(federation, delta, archive_dir):
    # given an agency already offboarded
    first = offboarding.offboard_agency(None, "delta", "Closed down")
    before = _state(delta)
    # when offboarded again
    with pytest.raises(ValidationError) as raised:
        offboarding.offboard_agency(None, "delta", "Again")
    # then the state is invalid, and no second archive is written
    assert [e.code for e in raised.value.error_dict["agency"]] == ["invalid_state"]
    assert _state(delta) == before
    assert _archived_files(archive_dir) == [first.archive.name]


def test_a_failed_verification_removes_the_archive_and_changes_nothing(
    federation, delta, archive_dir, monkeypatch
):
    # given a zip that fails its verification
    def corrupt(*args, **kwargs):
        raise offboarding.ArchiveError("checksum mismatch")

    monkeypatch.setattr(offboarding, "_verify_zip", corrupt)
    before = _state(delta)
    # when offboarding
    with pytest.raises(offboarding.ArchiveError):
        offboarding.offboard_agency(None, "delta", "Closed down")
    # then no partial archive is left and the agency is as it was
    assert _archived_files(archive_dir) == []
    assert _state(delta) == before
    with schema_context(delta.schema_name):
        assert Person.objects.count() == 4


def test_a_failure_after_the_drop_rolls_back_and_removes_the_archive(
    federation, delta, archive_dir, monkeypatch
):
    # given an audit write that fails after the schema was dropped
    def boom(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(offboarding, "record_event", boom)
    before = _state(delta)
    with pytest.raises(RuntimeError):
        offboarding.offboard_agency(None, "delta", "Closed down")
    # then the drop was rolled back and the archive of a living schema removed
    assert _state(delta) == before
    assert _archived_files(archive_dir) == []
    with schema_context(delta.schema_name):
        assert Person.objects.count() == 4


def test_the_command_prints_the_archive_path(federation, delta, archive_dir):
    out = io.StringIO()
    call_command("offboard_agency", "delta", reason="Closed down", stdout=out)
    lines = out.getvalue().splitlines()
    archive = Path(lines[-1])
    assert archive.parent == archive_dir
    assert archive.is_file()
    assert _archived_files(archive_dir) == [archive.name]
    assert lines[0].startswith("Offboarded Länsstyrelsen Delta: ")
    assert not schema_exists("agency_delta")


def test_the_command_reports_field_errors(federation, delta, archive_dir):
    # given an agency already offboarded by the command
    call_command("offboard_agency", "delta", reason="Closed down", stdout=io.StringIO())
    with translation.override("en"):
        # when run again, or for an unknown slug, then the field and its message are shown
        with pytest.raises(CommandError) as raised:
            call_command("offboard_agency", "delta", reason="Again", stdout=io.StringIO())
        assert str(raised.value) == (
            "agency: Only an active or suspended agency can be offboarded (it is Offboarded)."
        )
        with pytest.raises(CommandError) as raised:
            call_command("offboard_agency", "nope", reason="Typo", stdout=io.StringIO())
        assert str(raised.value) == "agency: No such agency."
