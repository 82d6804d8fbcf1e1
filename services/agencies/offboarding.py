"""Offboarding: export an agency's schema to a self-describing archive, then drop the schema.

The archive is one zip file holding a folder with one CSV file per table of the agency's
schema (PostgreSQL `COPY ... TO STDOUT WITH CSV HEADER`, UTF-8), `manifest.json` (tables,
columns, types, row counts, SHA-256 of each file) and `README.txt` (the format in plain
Swedish and English), so it can be read without Samnav. The schema, the agency's domains and
its role grants are removed only after the archive is written and verified; the Agency row
stays (state `offboarded`) because shared tables keep history by agency id.
See docs/decisions/2026-11-22-offboarding-archive.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from services.agencies.actions import lock_member, require_platform_admin
from services.agencies.errors import AgencyErrorCode
from services.audit.actions import record_event
from services.validation import clean_text
from tenants import schemas
from tenants.models import Agency, AgencyState, ApiToken, Domain, RoleGrant, User

ARCHIVE_FORMAT = "samnav-agency-archive"
ARCHIVE_FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
README_NAME = "README.txt"
CHUNK = 1024 * 1024

README_TEXT = """\
SAMNAV AGENCY ARCHIVE / SAMNAV MYNDIGHETSARKIV
==============================================

Svenska
-------
Det här arkivet innehåller all data som myndigheten {name} ({org_number}) hade i sitt
eget databasschema ({schema}) i Samnav när myndigheten avvecklades {exported_at}.
Arkivet kan läsas utan Samnav.

- En CSV-fil per databastabell, med tabellens namn (till exempel people_person.csv).
- Första raden i varje fil är kolumnnamnen. Därefter en rad per databasrad.
- Teckenkodning UTF-8. Fält skiljs med komma (,). Fält som innehåller komma, citattecken
  eller radbrytning omges av dubbla citattecken ("), och ett citattecken inuti ett fält
  skrivs dubbelt ("").
- Ett tomt fält utan citattecken betyder att värdet saknas (NULL). Ett tomt fält inom
  citattecken ("") är en tom text.
- Tider skrivs i ISO 8601-form i UTC (till exempel 2026-11-22 10:15:00.123456+00).
  Datum skrivs ÅÅÅÅ-MM-DD. Sant/falskt skrivs t/f. Binärdata skrivs hexadecimalt (\\x...).
- manifest.json beskriver varje fil: tabellnamn, antal rader, kolumnernas namn och
  PostgreSQL-typer, samt filens SHA-256-kontrollsumma (kontrollera med till exempel
  `sha256sum people_person.csv`).
- Filerna kan öppnas i ett kalkylprogram eller läsas in i en PostgreSQL-databas med
  `COPY tabell FROM 'fil.csv' WITH (FORMAT csv, HEADER true)` efter att tabellen skapats
  med kolumnerna och typerna i manifest.json.
- Id-kolumner (till exempel service_id) kan peka på rader i Samnavs gemensamma tabeller,
  som inte ingår här; de gemensamma tabellerna sparar sin historik per myndighets-id
  ({agency_id}).

English
-------
This archive holds all the data that the agency {name} ({org_number}) had in its own
database schema ({schema}) in Samnav when it was offboarded at {exported_at}.
It can be read without Samnav.

- One CSV file per database table, named after the table (for example people_person.csv).
- The first line of each file holds the column names; then one line per database row.
- Encoding UTF-8. Fields are separated by commas (,). A field holding a comma, a quote or a
  line break is enclosed in double quotes ("), and a quote inside a field is doubled ("").
- An empty field without quotes means no value (NULL). An empty field in quotes ("") is an
  empty text.
- Times are ISO 8601 in UTC (for example 2026-11-22 10:15:00.123456+00). Dates are
  YYYY-MM-DD. True/false is written t/f. Binary data is hexadecimal (\\x...).
- manifest.json describes every file: table name, row count, the columns' names and
  PostgreSQL types, and the file's SHA-256 checksum (check it with, for example,
  `sha256sum people_person.csv`).
- The files open in a spreadsheet, or load into a PostgreSQL database with
  `COPY table FROM 'file.csv' WITH (FORMAT csv, HEADER true)` once the table is created
  with the columns and types listed in manifest.json.
- Id columns (for example service_id) may name rows in Samnav's shared tables, which are
  not part of this archive; the shared tables keep their history by agency id ({agency_id}).
"""


@dataclass(frozen=True)
class OffboardResult:
    agency: Agency
    archive: Path
    row_counts: dict[str, int] = field(default_factory=dict)


class ArchiveError(RuntimeError):
    """The archive could not be written or did not verify; nothing was changed."""


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _columns(schema: str, table: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, udt_name, is_nullable "
            "FROM information_schema.columns "
            # Generated columns (e.g. a search vector) are derived: COPY leaves them out too.
            "WHERE table_schema = %s AND table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [schema, table],
        )
        return [
            {
                "name": name,
                "type": udt if data_type in ("ARRAY", "USER-DEFINED") else data_type,
                "nullable": nullable == "YES",
            }
            for name, data_type, udt, nullable in cursor.fetchall()
        ]


def _lock_tables(schema: str, tables: list[str]) -> None:
    """Hold off writers until the drop commits, so no change is lost between export and drop."""
    if not tables:
        return
    names = sql.SQL(", ").join(sql.Identifier(schema, t) for t in tables)
    with connection.connection.cursor() as cursor:
        cursor.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(names))


def _export_table(schema: str, table: str, path: Path) -> int:
    """Write one table as CSV with a header row; return the number of rows in the database."""
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
        expected = cursor.fetchone()[0]
        copy_sql = sql.SQL(
            "COPY {} TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
        ).format(sql.Identifier(schema, table))
        with path.open("wb") as out, cursor.copy(copy_sql) as copy:
            for data in copy:
                out.write(data)
    return expected


def _csv_rows(fh: IO[bytes]) -> tuple[list[str], int]:
    """The header and the number of data rows of a CSV stream, read with the stdlib."""
    reader = csv.reader(io.TextIOWrapper(fh, encoding="utf-8", newline=""))
    header = next(reader, [])
    return header, sum(1 for _row in reader)


def _verify_zip(zip_path: Path, folder_name: str, manifest: dict) -> None:
    """Re-read the kept artefact: every file present, checksums and row counts as recorded."""
    # Long texts (ticket messages) can pass the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with zipfile.ZipFile(zip_path) as zf:
        bad = zf.testzip()
        if bad is not None:
            raise ArchiveError(f"corrupt member {bad} in {zip_path.name}")
        stored = json.loads(zf.read(f"{folder_name}/{MANIFEST_NAME}"))
        if stored != manifest:
            raise ArchiveError("manifest in the zip differs from the one written")
        for entry in manifest["tables"]:
            member = f"{folder_name}/{entry['file']}"
            digest = hashlib.sha256()
            with zf.open(member) as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise ArchiveError(f"checksum mismatch for {member}")
            with zf.open(member) as fh:
                header, rows = _csv_rows(fh)
            if rows != entry["rows"]:
                raise ArchiveError(f"{member}: {rows} rows in the file, {entry['rows']} expected")
            if header != [c["name"] for c in entry["columns"]]:
                raise ArchiveError(f"{member}: header does not match the manifest's columns")


def _write_archive(agency: Agency, now: datetime) -> tuple[Path, dict[str, int]]:
    """Export the agency's schema to `<archive dir>/<slug>-<timestamp>.zip` and verify it.

    Runs inside the caller's transaction, with the agency's tables locked against writers.
    """
    schema = agency.schema_name
    archive_dir = Path(settings.SAMNAV_ARCHIVE_DIR)
    archive_dir.mkdir(parents=True, exist_ok=True)
    folder = archive_dir / f"{agency.slug}-{now:%Y%m%dT%H%M%SZ}"
    zip_path = folder.with_name(folder.name + ".zip")
    if zip_path.exists():
        raise ArchiveError(f"{zip_path} already exists")
    folder.mkdir(mode=0o700)  # raises if it exists: never write into someone else's folder
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            # Exact, documented value formats whatever the session had set.
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
            cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        tables = schemas.tenant_tables(schema)
        _lock_tables(schema, tables)
        entries: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        for table in tables:
            path = folder / f"{table}.csv"
            expected = _export_table(schema, table, path)
            columns = _columns(schema, table)
            with path.open("rb") as fh:
                header, rows = _csv_rows(fh)
            if rows != expected:
                raise ArchiveError(f"{path.name}: {rows} rows read back, {expected} in the table")
            if header != [c["name"] for c in columns]:
                raise ArchiveError(f"{path.name}: header does not match the table's columns")
            counts[table] = rows
            entries.append(
                {
                    "table": table,
                    "file": path.name,
                    "rows": rows,
                    "columns": columns,
                    "sha256": _file_sha256(path),
                }
            )
        manifest = {
            "format": ARCHIVE_FORMAT,
            "format_version": ARCHIVE_FORMAT_VERSION,
            "agency": {
                "id": agency.pk,
                "slug": agency.slug,
                "name": agency.name,
                "org_number": agency.org_number,
            },
            "schema": schema,
            "exported_at": now.isoformat(),
            "csv": {
                "encoding": "utf-8",
                "delimiter": ",",
                "quote": '"',
                "header": True,
                "null": "empty unquoted field",
                "timezone": "UTC",
            },
            "tables": entries,
        }
        (folder / MANIFEST_NAME).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (folder / README_NAME).write_text(
            README_TEXT.format(
                name=agency.name,
                org_number=agency.org_number or "-",
                schema=schema,
                exported_at=now.isoformat(),
                agency_id=agency.pk,
            ),
            encoding="utf-8",
        )
        with zipfile.ZipFile(zip_path, "x", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in (README_NAME, MANIFEST_NAME, *(e["file"] for e in entries)):
                zf.write(folder / name, f"{folder.name}/{name}")
        os.chmod(zip_path, 0o600)  # personal data: readable by the operator only
        _verify_zip(zip_path, folder.name, manifest)
    except BaseException:
        zip_path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return zip_path, counts


def _revoke_identities(agency: Agency) -> int:
    """Close, for good, the identities that belonged to `agency` alone: deactivated (their
    sessions stop at the next request) and their API tokens revoked. Identities with a role
    elsewhere keep it; their grants here go with the agency. Returns how many were closed."""
    members = RoleGrant.objects.filter(agency=agency).values("user_id")
    elsewhere = RoleGrant.objects.exclude(agency=agency).values("user_id")
    alone = list(
        User.objects.filter(pk__in=members).exclude(pk__in=elsewhere).values_list("pk", flat=True)
    )
    ApiToken.objects.filter(user_id__in=alone, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    User.objects.filter(pk__in=alone).update(is_active=False)
    return len(alone)


def offboard_agency(actor: User | None, agency_ref: int | str, reason: str) -> OffboardResult:
    """Archive an active or suspended agency's schema, then drop it with its domains and grants.

    One transaction: the Agency row and the schema's tables are locked, the archive is
    written and verified, then the schema is dropped, domains and role grants deleted, the
    agency marked offboarded and the event audited. On any failure the partial archive is
    removed and nothing in the database changes.
    """
    require_platform_admin(actor)
    reason = clean_text("reason", reason)
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the agency is offboarded."), code=AgencyErrorCode.REQUIRED
                )
            }
        )
    archive: Path | None = None
    try:
        with transaction.atomic():
            agency = lock_member(agency_ref)
            if agency.state not in (AgencyState.ACTIVE, AgencyState.SUSPENDED):
                raise ValidationError(
                    {
                        "agency": ValidationError(
                            _(
                                "Only an active or suspended agency can be offboarded "
                                "(it is %(state)s)."
                            )
                            % {"state": agency.get_state_display()},
                            code=AgencyErrorCode.INVALID_STATE,
                        )
                    }
                )
            archive, counts = _write_archive(agency, datetime.now(UTC).replace(microsecond=0))
            schemas.drop_schema(agency.schema_name)
            Domain.objects.filter(tenant=agency).delete()
            revoked = _revoke_identities(agency)
            RoleGrant.objects.filter(agency=agency).delete()
            # Not agency.save(): django-tenants re-creates a missing schema on every save.
            Agency.objects.filter(pk=agency.pk).update(
                state=AgencyState.OFFBOARDED, state_reason=reason[:500], updated_at=timezone.now()
            )
            agency.refresh_from_db()
            record_event(
                actor,
                "agency.offboarded",
                agency,
                agency=agency,
                reason=reason,
                archive=archive.name,
                identities_closed=revoked,
            )
    except BaseException:
        # The transaction rolled back: an archive of a still-existing schema must not linger.
        if archive is not None:
            archive.unlink(missing_ok=True)
        raise
    return OffboardResult(agency=agency, archive=archive, row_counts=counts)
