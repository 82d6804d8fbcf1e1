"""Reconciliation: a vendor's usage report applied to a pool, across agencies, all or nothing."""

from __future__ import annotations

import datetime as dt

import graphene
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from api.licences.usage import LicenceUsageMutations
from services.catalogue.models import Supplier
from services.licences.models import AgencyQuota, LicencePool, UsageCount, UsageImport
from services.licences.reconciliation import import_usage
from services.licences.seats.models import SeatAssignment
from services.people.models import Person
from tenants.models import AgencyState

pytestmark = pytest.mark.django_db


def today():
    """Today in Stockholm from the tests' clock, read when the test runs."""
    return timezone.localdate()


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the deployed default is Swedish)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


# --- builders, shared by the other licence test files ----------------------------------------


def make_pool(product="Kontorspaket", total=10, renewal_on=None) -> LicencePool:
    supplier = Supplier.objects.create(name=f"Leverantör {product}")
    year = today().year  # an agreement from last year to four years on, renewed long after
    return LicencePool.objects.create(
        product=product,
        supplier=supplier,
        starts_on=dt.date(year - 1, 1, 1),
        ends_on=dt.date(year + 4, 12, 31),
        renewal_on=renewal_on or dt.date(year + 4, 10, 1),
        total_seats=total,
    )


def give_quota(pool, agency, quota, held) -> AgencyQuota:
    return AgencyQuota.objects.create(pool=pool, agency=agency, quota_seats=quota, held_seats=held)


def give_seat(pool, agency, email, *, started=100, last_used=None, name=None, released=False):
    """A person of `agency` with e-mail `email` holding a seat of `pool` (counted in public)."""
    with schema_context(agency.schema_name):
        person = Person.objects.create(name=name or email.split("@")[0], email=email)
        seat = SeatAssignment.objects.create(
            pool_id=pool.pk,
            person=person,
            starts_on=days_ago(started),
            last_used_on=last_used,
            released_at=timezone.now() if released else None,
        )
    if not released:
        AgencyQuota.objects.filter(pool=pool, agency=agency).update(
            assigned_seats=F("assigned_seats") + 1
        )
    return seat


def last_used(agency, seat) -> dt.date | None:
    with schema_context(agency.schema_name):
        return SeatAssignment.objects.get(pk=seat.pk).last_used_on


def report(*lines: str, bom=False) -> str:
    return ("\ufeff" if bom else "") + "\n".join(["email,last_used", *lines]) + "\n"


@pytest.fixture
def scene(federation):
    """Pool of 10: alpha quota 5 holding 6 (over by 1), beta quota 4 holding 2."""
    alpha, beta = federation.alpha, federation.beta
    pool = make_pool()
    give_quota(pool, alpha, quota=5, held=6)
    give_quota(pool, beta, quota=4, held=2)
    seats = {
        "anna": give_seat(pool, alpha, "anna@alfa.example"),
        "bo": give_seat(pool, alpha, "bo@alfa.example", started=100),
        "cilla": give_seat(pool, alpha, "cilla@alfa.example", last_used=days_ago(200)),
        "gone": give_seat(pool, alpha, "gone@alfa.example", released=True),
        "dora": give_seat(pool, beta, "Dora@Beta.example"),
        "erik": give_seat(pool, beta, "erik@beta.example", started=10),
    }
    return pool, seats


def _state(federation, pool, seats):
    """Everything an import may change, to compare before and after a refusal."""
    dates = {}
    for key, seat in seats.items():
        agency = federation.beta if key in ("dora", "erik") else federation.alpha
        dates[key] = last_used(agency, seat)
    return {
        "imports": UsageImport.objects.count(),
        "counts": UsageCount.objects.count(),
        "dates": dates,
    }


# --- the happy path ---------------------------------------------------------------------------


def test_a_report_sets_last_use_and_gives_counts_per_agency(federation, scene):
    pool, seats = scene
    alpha, beta = federation.alpha, federation.beta
    # given a vendor report with a BOM, mixed case and trailing spaces
    text = report(
        f"ANNA@alfa.example ,{days_ago(3).isoformat()} ",
        f"cilla@alfa.example,{days_ago(90).isoformat()}",
        f"dora@beta.example,{days_ago(1).isoformat()}",
        f"gone@alfa.example,{days_ago(2).isoformat()}",
        f"okand@vendor.example,{days_ago(5).isoformat()}",
        "",
        bom=True,
    )
    # when the catalogue manager imports it
    result = import_usage(federation.user("cat"), pool.pk, text)
    # then the matching active seats carry the reported dates, in each agency's schema
    assert last_used(alpha, seats["anna"]) == days_ago(3)
    assert last_used(alpha, seats["cilla"]) == days_ago(90)
    assert last_used(beta, seats["dora"]) == days_ago(1)
    assert last_used(alpha, seats["bo"]) is None
    assert last_used(alpha, seats["gone"]) is None  # a released seat is not matched
    # and the result counts lines, matches and addresses without a seat
    assert (result.rows, result.matched, result.used_unassigned) == (5, 3, 2)
    assert result.used_unassigned_emails == ["gone@alfa.example", "okand@vendor.example"]
    # and gives counts per agency: alpha used 1 (anna), unused 2 (bo never, cilla 90 days),
    # over quota by 1; beta used 1 (dora), erik started 10 days ago is not unused yet
    per = {
        a.agency.slug: (a.matched, a.used, a.assigned_unused, a.over_quota)
        for a in result.per_agency
    }
    assert per == {"alpha": (2, 1, 2, 1), "beta": (1, 1, 0, 0)}
    assert [a.agency.slug for a in result.agencies_over_quota] == ["alpha"]
    # and public keeps counts only: one import, one count row per agency
    imp = UsageImport.objects.get()
    assert (imp.pool_id, imp.imported_by_id, imp.rows, imp.matched, imp.used_unassigned) == (
        pool.pk,
        federation.user("cat").pk,
        5,
        3,
        2,
    )
    counts = {
        c.agency_id: (c.matched, c.used_seats, c.assigned_unused_seats, c.unused_days)
        for c in UsageCount.objects.filter(usage_import=imp)
    }
    assert counts == {alpha.pk: (2, 1, 2, 60), beta.pk: (1, 1, 0, 60)}


def test_an_older_report_does_not_move_a_last_use_back(federation, scene):
    pool, seats = scene
    # given anna's seat used 2 days ago
    import_usage(federation.user("cat"), pool.pk, report(f"anna@alfa.example,{days_ago(2)}"))
    # when an older report is imported
    import_usage(federation.user("root"), pool.pk, report(f"anna@alfa.example,{days_ago(30)}"))
    # then the later date stays, and both imports are recorded
    assert last_used(federation.alpha, scene[1]["anna"]) == days_ago(2)
    assert UsageImport.objects.filter(pool=pool).count() == 2


def test_a_suspended_agency_is_left_alone(federation, scene):
    pool, seats = scene
    # given beta suspended
    type(federation.beta).objects.filter(pk=federation.beta.pk).update(state=AgencyState.SUSPENDED)
    # when a report naming dora (beta) is imported
    result = import_usage(federation.user("cat"), pool.pk, report(f"dora@beta.example,{today()}"))
    # then beta's schema is untouched and only alpha is counted
    assert last_used(federation.beta, seats["dora"]) is None
    assert [a.agency.slug for a in result.per_agency] == ["alpha"]
    assert result.used_unassigned_emails == ["dora@beta.example"]
    assert UsageCount.objects.filter(agency=federation.beta).count() == 0


# --- bad files: refused whole, with the lines at fault ----------------------------------------


def _bad_files() -> dict[str, tuple[str, dict]]:
    """Bad usage reports and the faults named, dated from today when the test runs."""
    return {
        "wrong header": (
            "mail,last_used\na@alfa.example,2026-01-01\n",
            {
                "csv.line.1": [
                    'Line 1: the header must be exactly "email,last_used", not "mail,last_used".'
                ]
            },
        ),
        "missing column": (
            "email\nanna@alfa.example\n",
            {"csv.line.1": ['Line 1: the header must be exactly "email,last_used", not "email".']},
        ),
        "empty file": (
            "",
            {"csv.line.1": ['Line 1: the file is empty: the header "email,last_used" is missing.']},
        ),
        "bad date": (
            "email,last_used\nanna@alfa.example,2026-13-01\nbo@alfa.example,1/2/2026\n",
            {
                "csv.line.2": ['Line 2: "2026-13-01" is not a date (YYYY-MM-DD).'],
                "csv.line.3": ['Line 3: "1/2/2026" is not a date (YYYY-MM-DD).'],
            },
        ),
        "future date": (
            f"email,last_used\nanna@alfa.example,{today() + dt.timedelta(days=1)}\n",
            {"csv.line.2": [f"Line 2: {today() + dt.timedelta(days=1)} is in the future."]},
        ),
        "empty email": (
            f"email,last_used\n ,{today()}\n",
            {"csv.line.2": ["Line 2: the e-mail address is empty."]},
        ),
        "not an email": (
            f"email,last_used\nanna,{today()}\n",
            {"csv.line.2": ["Line 2: anna is not an e-mail address."]},
        ),
        "duplicate email": (
            f"email,last_used\nanna@alfa.example,{today()}\nbo@alfa.example,{today()}\n"
            f"ANNA@alfa.example,{today()}\n",
            {"csv.line.4": ["Line 4: anna@alfa.example is already on line 2."]},
        ),
        "wrong number of columns": (
            f"email,last_used\nanna@alfa.example,{today()},x\n",
            {"csv.line.2": ["Line 2: expected 2 columns, found 3."]},
        ),
        "several faults": (
            f"email,last_used\nanna@alfa.example,{today()}\n,yesterday\n"
            f"bo@alfa.example,{today()}\ncilla@alfa.example,2026-02-30\n",
            {
                "csv.line.3": [
                    "Line 3: the e-mail address is empty.",
                    'Line 3: "yesterday" is not a date (YYYY-MM-DD).',
                ],
                "csv.line.5": ['Line 5: "2026-02-30" is not a date (YYYY-MM-DD).'],
            },
        ),
    }


@pytest.mark.parametrize("case", sorted(_bad_files()))
def test_a_bad_file_is_refused_whole_and_changes_nothing(federation, scene, case):
    pool, seats = scene
    text, expected = _bad_files()[case]
    # given a report whose first line is good (anna) and the state before
    before = _state(federation, pool, seats)
    # when it is imported
    with pytest.raises(ValidationError) as caught:
        import_usage(federation.user("cat"), pool.pk, text)
    # then every line at fault is named, with its reason
    assert caught.value.message_dict == expected
    assert {e.code for errs in caught.value.error_dict.values() for e in errs} == {"bad_file"}
    # and nothing changed anywhere
    assert _state(federation, pool, seats) == before


def test_an_unknown_pool_is_refused_with_the_files_faults(federation, scene):
    pool, seats = scene
    before = _state(federation, pool, seats)
    # when a bad file is sent for a pool that does not exist
    with pytest.raises(ValidationError) as caught:
        import_usage(federation.user("cat"), pool.pk + 1000, report(f"anna@x.example,{today()}x"))
    # then both the pool and the bad line are reported
    assert caught.value.message_dict == {
        "csv.line.2": [f'Line 2: "{today()}x" is not a date (YYYY-MM-DD).'],
        "pool": ["No such licence pool."],
    }
    # and a good file for an unknown pool is refused too
    with pytest.raises(ValidationError) as caught:
        import_usage(federation.user("cat"), None, report(f"anna@alfa.example,{today()}"))
    assert caught.value.message_dict == {"pool": ["No such licence pool."]}
    assert _state(federation, pool, seats) == before


def test_many_bad_lines_are_named_up_to_a_limit(federation, scene):
    pool, _seats = scene
    # given 250 lines with a bad date
    text = report(*(f"p{i}@alfa.example,nope" for i in range(250)))
    # when imported
    with pytest.raises(ValidationError) as caught:
        import_usage(federation.user("cat"), pool.pk, text)
    # then the first 200 lines are named and the rest counted
    errors = caught.value.message_dict
    assert len(errors) == 201
    assert errors["csv.line.2"] == ['Line 2: "nope" is not a date (YYYY-MM-DD).']
    assert "csv.line.201" in errors and "csv.line.202" not in errors
    assert errors["csv"] == ["50 more lines are at fault (from line 202 on)."]


def test_a_failure_half_way_leaves_every_agency_untouched(federation, scene, monkeypatch):
    pool, seats = scene
    before = _state(federation, pool, seats)
    # given the import fails after alpha's seats were updated (writing the counts)
    from services.licences import reconciliation

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reconciliation.UsageCount.objects, "bulk_create", broken)
    # when a good report is imported
    with pytest.raises(RuntimeError):
        import_usage(federation.user("cat"), pool.pk, report(f"anna@alfa.example,{today()}"))
    # then alpha's seat update was rolled back with the rest
    assert _state(federation, pool, seats) == before


# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alpha-admin", "beta-admin", "fin", "desk", "nobody", None])
def test_only_catalogue_managers_and_platform_admins_may_import(federation, scene, who):
    pool, seats = scene
    before = _state(federation, pool, seats)
    actor = federation.user(who) if who else AnonymousUser()
    # when someone else imports a good report
    with pytest.raises(PermissionDenied):
        import_usage(actor, pool.pk, report(f"anna@alfa.example,{today()}"))
    # then nothing changed
    assert _state(federation, pool, seats) == before


@pytest.mark.parametrize("who", ["cat", "root"])
def test_catalogue_managers_and_platform_admins_import(federation, scene, who):
    pool, seats = scene
    result = import_usage(federation.user(who), pool.pk, report(f"anna@alfa.example,{today()}"))
    assert result.matched == 1
    assert last_used(federation.alpha, seats["anna"]) == today()


# --- GraphQL: importLicenceUsage --------------------------------------------------------------

MUTATION = """
mutation($pool: ID!, $csv: String!) {
  importLicenceUsage(pool: $pool, csv: $csv) {
    rows matched usedUnassigned usedUnassignedEmails unusedDays
    perAgency { agency { slug } matched used assignedUnused overQuota }
    errors { field message code }
  }
}
"""


class _Query(graphene.ObjectType):
    ping = graphene.String()


_SCHEMA = graphene.Schema(query=_Query, mutation=LicenceUsageMutations)


def run(federation, variables, *, user, agency=None):
    """The mutation on a schema of its own (the root schema is wired by the lead), with a
    request as the view gives it: the signed-in user and the host's agency."""
    request = RequestFactory().post("/graphql/")
    request.user = user or AnonymousUser()
    request.tenant = agency or federation.central
    result = _SCHEMA.execute(MUTATION, variable_values=variables, context_value=request)
    assert result.errors is None, result.errors
    return result.data["importLicenceUsage"]


def test_graphql_import_gives_counts_per_agency_and_the_vendors_unmatched_list(federation, scene):
    pool, seats = scene
    text = report(f"anna@alfa.example,{today()}", f"okand@vendor.example,{today()}")
    # when the catalogue manager imports on the central host
    data = run(
        federation,
        {"pool": to_global_id("LicencePool", pool.pk), "csv": text},
        user=federation.user("cat"),
    )
    # then the payload has counts per agency, no one's name, and the vendor's unmatched address
    # (beta: dora's seat, 100 days old and never reported, is unused)
    assert data == {
        "rows": 2,
        "matched": 1,
        "usedUnassigned": 1,
        "usedUnassignedEmails": ["okand@vendor.example"],
        "unusedDays": 60,
        "perAgency": [
            {
                "agency": {"slug": "alpha"},
                "matched": 1,
                "used": 1,
                "assignedUnused": 2,
                "overQuota": 1,
            },
            {
                "agency": {"slug": "beta"},
                "matched": 0,
                "used": 0,
                "assignedUnused": 1,
                "overQuota": 0,
            },
        ],
        "errors": [],
    }
    assert last_used(federation.alpha, seats["anna"]) == today()


def test_graphql_names_the_lines_at_fault(federation, scene):
    pool, seats = scene
    before = _state(federation, pool, seats)
    text = report(f"anna@alfa.example,{today()}", "bo@alfa.example,igår", f",{today()}")
    data = run(
        federation,
        {"pool": to_global_id("LicencePool", pool.pk), "csv": text},
        user=federation.user("cat"),
    )
    assert data["errors"] == [
        {
            "field": "csv.line.3",
            "message": 'Line 3: "igår" is not a date (YYYY-MM-DD).',
            "code": "BAD_FILE",
        },
        {
            "field": "csv.line.4",
            "message": "Line 4: the e-mail address is empty.",
            "code": "BAD_FILE",
        },
    ]
    assert (data["rows"], data["usedUnassignedEmails"], data["perAgency"]) == (None, [], [])
    assert _state(federation, pool, seats) == before


def test_graphql_refuses_an_unknown_or_malformed_pool(federation, scene):
    pool, _seats = scene
    text = report(f"anna@alfa.example,{today()}")
    for pool_id in (
        to_global_id("LicencePool", pool.pk + 1000),
        to_global_id("Order", pool.pk),
        "not-an-id",
    ):
        data = run(federation, {"pool": pool_id, "csv": text}, user=federation.user("cat"))
        assert data["errors"] == [
            {"field": "pool", "message": "No such licence pool.", "code": "NOT_FOUND"}
        ]
    assert UsageImport.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "host"),
    [
        ("alpha-admin", "alpha"),
        ("alpha-admin", None),
        ("fin", None),
        ("cat", "alpha"),
        (None, None),
    ],
)
def test_graphql_import_is_for_central_managers_on_the_central_host(federation, scene, who, host):
    pool, seats = scene
    before = _state(federation, pool, seats)
    data = run(
        federation,
        {
            "pool": to_global_id("LicencePool", pool.pk),
            "csv": report(f"anna@alfa.example,{today()}"),
        },
        user=federation.user(who) if who else None,
        agency=getattr(federation, host) if host else None,
    )
    assert [e["code"] for e in data["errors"]] == ["PERMISSION_DENIED"]
    assert data["perAgency"] == [] and data["usedUnassignedEmails"] == []
    assert _state(federation, pool, seats) == before
