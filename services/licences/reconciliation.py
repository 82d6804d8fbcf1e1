"""Reconciliation: apply a vendor's usage report (e-mail, last used date) to a licence pool.

The report is checked whole first: a bad file is refused with every line at fault (field
`csv.line.<n>`, the message naming the line too) and changes nothing. A good file is applied in
one transaction: each member agency holding a quota in the pool gets `last_used_on` set on the
matching active seat assignments, and public gets one UsageImport with a UsageCount per agency
(counts only). The vendor's addresses are returned to the caller but never stored in public;
no agency's people are named in the result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.audit.actions import record_event
from services.licences.compliance import unused_days_setting
from services.licences.errors import LicenceErrorCode as Code
from services.licences.models import AgencyQuota, LicencePool, UsageCount, UsageImport
from services.licences.pool_accounting import lock_pool
from services.validation import date_range_message, in_sensible_range, sensible_range
from tenants.access import has_central_role
from tenants.models import Agency, AgencyKind, AgencyState, User
from tenants.roles import CATALOGUE_KEEPERS

COLUMNS = ("email", "last_used")
MAX_LINES_REPORTED = 200  # a file with more bad lines names the first ones and counts the rest


@dataclass(frozen=True)
class AgencyUsage:
    """What the import found in one agency: counts only."""

    agency: Agency
    matched: int  # report lines matching an active seat of the agency
    used: int  # active seats used within `unused_days` days
    assigned_unused: int  # active seats unused for `unused_days` days (candidates to reclaim)
    quota: int
    held: int

    @property
    def over_quota(self) -> int:
        return max(0, self.held - self.quota)


@dataclass(frozen=True)
class ImportResult:
    usage_import: UsageImport
    rows: int
    matched: int
    used_unassigned_emails: list[str]  # the vendor's own addresses; not stored anywhere
    per_agency: list[AgencyUsage] = field(default_factory=list)
    unused_days: int = 60

    @property
    def used_unassigned(self) -> int:
        return len(self.used_unassigned_emails)

    @property
    def agencies_over_quota(self) -> list[AgencyUsage]:
        return [a for a in self.per_agency if a.over_quota > 0]


# --- checking the file -----------------------------------------------------------------------


class _Problems:
    """Bad lines of a report, in line order, with every reason per line."""

    def __init__(self) -> None:
        self.by_line: dict[int, list[str]] = defaultdict(list)

    def add(self, line: int, reason: str) -> None:
        self.by_line[line].append(reason)

    def __bool__(self) -> bool:
        return bool(self.by_line)

    def error(self, extra: dict | None = None) -> ValidationError:
        errors: dict[str, list[ValidationError]] = dict(extra or {})
        lines = sorted(self.by_line)
        for line in lines[:MAX_LINES_REPORTED]:
            errors[f"csv.line.{line}"] = [
                ValidationError(
                    _("Line %(line)s: %(reason)s") % {"line": line, "reason": reason},
                    code=Code.BAD_FILE,
                )
                for reason in self.by_line[line]
            ]
        if len(lines) > MAX_LINES_REPORTED:
            errors["csv"] = [
                ValidationError(
                    _("%(count)s more lines are at fault (from line %(line)s on).")
                    % {"count": len(lines) - MAX_LINES_REPORTED, "line": lines[MAX_LINES_REPORTED]},
                    code=Code.BAD_FILE,
                )
            ]
        return ValidationError(errors)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _date(value: str) -> dt.date | None:
    """An ISO date written YYYY-MM-DD (fromisoformat alone also takes 20260101)."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_report(csv_text: str, today: dt.date | None = None) -> tuple[dict[str, dt.date], int]:
    """The report as {lower-case e-mail: last used date} and its number of data rows.

    Raises ValidationError naming every line at fault (the header is line 1).
    """
    today = today or timezone.localdate()
    problems = _Problems()
    if csv_text.startswith("\ufeff"):
        csv_text = csv_text[1:]
    reader = csv.reader(io.StringIO(csv_text))
    usage: dict[str, dt.date] = {}
    first_seen: dict[str, int] = {}
    rows = 0
    header_seen = False
    try:
        for record in reader:
            line = reader.line_num
            cells = [c.strip() for c in record]
            if not any(cells):
                continue  # blank lines (a trailing newline, an empty last line)
            if not header_seen:
                header_seen = True
                if tuple(c.lower() for c in cells) != COLUMNS:
                    problems.add(
                        line,
                        _('the header must be exactly "%(expected)s", not "%(found)s".')
                        % {"expected": ",".join(COLUMNS), "found": ",".join(cells)},
                    )
                    break  # the columns are unknown: the other lines cannot be read
                continue
            rows += 1
            if len(cells) != len(COLUMNS):
                problems.add(
                    line,
                    _("expected %(expected)s columns, found %(found)s.")
                    % {"expected": len(COLUMNS), "found": len(cells)},
                )
                continue
            email, last_used = cells[0].lower(), cells[1]
            if not email:
                problems.add(line, _("the e-mail address is empty."))
            elif not _is_email(email):
                problems.add(line, _("%(email)s is not an e-mail address.") % {"email": email})
            elif email in first_seen:
                problems.add(
                    line,
                    _("%(email)s is already on line %(first)s.")
                    % {"email": email, "first": first_seen[email]},
                )
            else:
                first_seen[email] = line
            used_on = _date(last_used)
            if used_on is None:
                problems.add(
                    line, _('"%(value)s" is not a date (YYYY-MM-DD).') % {"value": last_used}
                )
            elif used_on > today:
                problems.add(line, _("%(date)s is in the future.") % {"date": used_on.isoformat()})
            elif not in_sensible_range(used_on):
                low, high = sensible_range(today)
                problems.add(line, date_range_message(low, high))
            elif first_seen.get(email) == line:
                usage[email] = used_on
    except csv.Error as exc:
        problems.add(reader.line_num, _("the file is not valid CSV (%(error)s).") % {"error": exc})
    if not header_seen:
        problems.add(
            1,
            _('the file is empty: the header "%(expected)s" is missing.')
            % {"expected": ",".join(COLUMNS)},
        )
    if problems:
        raise problems.error()
    return usage, rows


# --- applying it -----------------------------------------------------------------------------


def _check_actor(actor: User | None) -> None:
    if actor is None or not has_central_role(actor, *CATALOGUE_KEEPERS):
        raise PermissionDenied(
            _("Importing licence usage needs the catalogue manager or platform admin role.")
        )


def _apply_in_agency(
    pool_id: int, usage: dict[str, dt.date], cutoff: dt.date
) -> tuple[set[str], int, int]:
    """In the current agency schema: set last_used_on, then count used and unused seats.

    Returns (the report's addresses matched here, seats used, seats assigned but unused).
    """
    from services.licences.seats.interface import SeatAssignment

    active = SeatAssignment.objects.filter(pool_id=pool_id, released_at=None)
    # Active assignments of one pool are bounded by the seats the agency holds: matched here
    # rather than sending every address of the report to each schema.
    changed = []
    matched: set[str] = set()
    for seat in active.select_related("person").only("id", "last_used_on", "person__email"):
        email = (seat.person.email or "").strip().lower()
        used_on = usage.get(email)
        if used_on is None:
            continue
        matched.add(email)
        # A report older than what is known does not move the date back.
        if seat.last_used_on is None or used_on > seat.last_used_on:
            seat.last_used_on = used_on
            changed.append(seat)
    SeatAssignment.objects.bulk_update(changed, ["last_used_on"], batch_size=500)
    # Never used counts from the start of the seat: a seat handed out last week is not a
    # candidate to reclaim yet.
    counts = active.annotate(used_since=Coalesce("last_used_on", "starts_on")).aggregate(
        used=Count("id", filter=Q(last_used_on__gt=cutoff)),
        unused=Count("id", filter=Q(used_since__lte=cutoff)),
    )
    return matched, counts["used"], counts["unused"]


def import_usage(
    actor: User | None, pool_id: int, csv_text: str, *, unused_days: int | None = None
) -> ImportResult:
    """Apply a vendor usage report to pool `pool_id`. Central catalogue managers and platform
    admins only. All or nothing: a bad file or any failure leaves every schema untouched."""
    _check_actor(actor)
    days = unused_days if unused_days is not None else unused_days_setting()
    today = timezone.localdate()
    cutoff = today - dt.timedelta(days=days)
    pool_known = LicencePool.objects.filter(pk=pool_id).exists() if pool_id else False
    try:
        usage, rows = parse_report(csv_text, today)
    except ValidationError as exc:
        if not pool_known:
            exc.error_dict["pool"] = [_unknown_pool()]
        raise
    if not pool_known:
        raise ValidationError({"pool": [_unknown_pool()]})

    with transaction.atomic():
        pool = lock_pool(pool_id)  # serialises with seat changes: the counts are consistent
        quotas = list(
            AgencyQuota.objects.filter(
                pool=pool, agency__kind=AgencyKind.AGENCY, agency__state=AgencyState.ACTIVE
            )
            .select_related("agency")
            .order_by("agency__name", "agency_id")
        )
        matched_anywhere: set[str] = set()
        per_agency = []
        # One pass over the agencies holding a quota in this pool: an import job, not a hot
        # path (central queues and compliance read the counts stored below, in public).
        for quota in quotas:
            with tenant_context(quota.agency):
                matched, used, unused = _apply_in_agency(pool.pk, usage, cutoff)
            matched_anywhere |= matched
            per_agency.append(
                AgencyUsage(
                    agency=quota.agency,
                    matched=len(matched),
                    used=used,
                    assigned_unused=unused,
                    quota=quota.quota_seats,
                    held=quota.held_seats,
                )
            )
        unassigned = sorted(set(usage) - matched_anywhere)
        record = UsageImport.objects.create(
            pool=pool,
            imported_by=actor,
            rows=rows,
            matched=len(matched_anywhere),
            used_unassigned=len(unassigned),
        )
        UsageCount.objects.bulk_create(
            UsageCount(
                usage_import=record,
                agency=a.agency,
                matched=a.matched,
                used_seats=a.used,
                assigned_unused_seats=a.assigned_unused,
                unused_days=days,
            )
            for a in per_agency
        )
        record_event(
            actor,
            "licence_pool.usage_imported",
            pool,
            usage_import=record.pk,
            rows=rows,
            matched=len(matched_anywhere),
            used_unassigned=len(unassigned),
        )
    return ImportResult(
        usage_import=record,
        rows=rows,
        matched=len(matched_anywhere),
        used_unassigned_emails=unassigned,
        per_agency=per_agency,
        unused_days=days,
    )


def _unknown_pool() -> ValidationError:
    return ValidationError(_("No such licence pool."), code=Code.NOT_FOUND)
