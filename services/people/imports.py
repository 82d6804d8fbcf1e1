"""Importing people from a CSV file: all of it, or nothing, with every fault named by its line.

The first line names the columns (any order; `name` is required, the others optional):
name, email, phone, street_address, postal_code, city, work_street_address, work_postal_code,
work_city, cost_centre, employment_ends_on (YYYY-MM-DD). Commas or semicolons (Excel's
Swedish CSV) separate them; UTF-8, with or without a byte-order mark.

A line whose e-mail address is already an active person's updates that person; any other
line adds a person. Every line is checked as the register's own form checks it
(actions.clean_values), and two lines may not share an address.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.people import policies
from services.people.actions import FIELDS, apply_changes, clean_values
from services.people.errors import PeopleErrorCode as Code
from services.people.models import Person
from services.validation import field_error
from tenants.models import Agency, User
from tenants.viewer import Viewer

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _rows(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if len(content) > MAX_BYTES:
        raise field_error(
            "file", _("The file is larger than %(max)s bytes.") % {"max": MAX_BYTES}, Code.INVALID
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise field_error("file", _("The file is not UTF-8 text."), Code.INVALID) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [c.strip().lower() for c in next(reader, [])]
        rows = [
            (reader.line_num, dict(zip(header, (c.strip() for c in cells), strict=False)))
            for cells in reader
            if any(c.strip() for c in cells)
        ]
    except csv.Error as exc:
        raise field_error(
            "file", _("The file is not valid CSV: %(error)s") % {"error": exc}, Code.INVALID
        ) from exc
    unknown = sorted(set(header) - set(FIELDS))
    if "name" not in header or unknown:
        raise field_error(
            "file",
            _('Line 1 must name the columns: "name" and any of %(columns)s; unknown: %(unknown)s.')
            % {"columns": ", ".join(FIELDS[1:]), "unknown": ", ".join(unknown) or "–"},
            Code.INVALID,
        )
    if len(rows) > MAX_ROWS:
        raise field_error(
            "file", _("At most %(max)s people in one file.") % {"max": MAX_ROWS}, Code.INVALID
        )
    return header, rows


def _values(row: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = dict(row)
    if "employment_ends_on" in values:
        raw = values["employment_ends_on"]
        try:
            values["employment_ends_on"] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            values["employment_ends_on"] = raw  # refused by clean_values, with its field
    return values


def import_people(agency: Agency, actor: User, content: bytes) -> ImportResult:
    """Add or update the people of a CSV file; raises a ValidationError on `file` listing
    every faulty line (at most MAX_PROBLEMS) and writes nothing."""
    if not policies.keeps_register(Viewer.of(actor, agency), agency):
        raise PermissionDenied(_("Only the agency's admins keep its people register."))
    _header, rows = _rows(content)
    problems: list[str] = []
    with tenant_context(agency), transaction.atomic():
        existing = {
            p.email.lower(): p for p in Person.objects.filter(is_active=True).exclude(email="")
        }
        seen: dict[str, int] = {}
        plan: list[tuple[Person | None, dict[str, Any]]] = []
        for line, row in rows:
            email = row.get("email", "").lower()
            person = existing.get(email) if email else None
            try:
                clean = clean_values(_values(row), agency_id=agency.pk, person=person)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    problems += [f"{line}: {field}: {m}" for m in errors]
                continue
            email = clean.get("email", "")
            if email and email in seen:
                problems.append(
                    _("%(line)s: email: the same address as line %(first)s.")
                    % {"line": line, "first": seen[email]}
                )
                continue
            if email:
                seen[email] = line
            plan.append((person, clean))
        if problems:
            shown = problems[:MAX_PROBLEMS]
            if len(problems) > MAX_PROBLEMS:
                shown.append(_("… and %(n)s more.") % {"n": len(problems) - MAX_PROBLEMS})
            raise ValidationError({"file": [ValidationError(p, code=Code.INVALID) for p in shown]})
        created = updated = 0
        for person, clean in plan:
            if person is None:
                Person.objects.create(**clean)
                created += 1
            else:
                changed = apply_changes(person, clean)
                if changed:
                    person.save(update_fields=changed)
                    updated += 1
        record_event(
            actor,
            "people.imported",
            agency,
            agency=agency,
            created=created,
            updated=updated,
        )
    return ImportResult(created, updated)
