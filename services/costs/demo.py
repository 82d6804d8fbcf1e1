"""Demo cost split: a year of months for the demo federation, through the real actions.

Twelve periods ending with the current month. Each month: drivers snapshotted from every
agency (in-process fan-out), pools for what central IT spent (support staff, project
management, procurement, the data centre on fixed weights with a new weight version
mid-year, each licence agreement by seats held, subscriptions charged directly, field visits
and joint projects where the month has any) and the run. The ten oldest months are published,
accepted and closed, with one correction of a closed month booked into a later one. Last month
is published with one open dispute (preliminary); the current month is open: its pools and a
draft run that only central IT sees. So finance's pages show real history, a month to follow
up and a month in the making on the first `make run`, whatever day it is.

Runs last in the demo (after licences, orders, tickets, visits and projects). Idempotent: a
federation that has any cost period is left alone. Deterministic amounts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from services.costs import actions
from services.costs.drivers import snapshot_all
from services.costs.models import (
    AllocationKey,
    AllocationLine,
    DriverSnapshot,
    KeyVersion,
    Method,
    Period,
    RunState,
)
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role

MONTHS = 12
BIG = {"stockholm", "skane", "vastra-gotaland"}


def _months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for back in range(MONTHS - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(dt.date(y, m + 1, 1))
    return out


def _key(fin: User, name: str, first: dt.date, method: str, driver: str = "", **extra: Any) -> int:
    key = AllocationKey.objects.filter(name=name).first()
    if key is None:
        key = actions.create_key(fin, name)
        actions.add_key_version(
            fin,
            key.pk,
            actions.VersionInput(valid_from=first, method=method, driver_kind=driver, **extra),
        )
    return key.pk


def _total(period: Period, kind: str, ref: int = 0) -> Decimal:
    found = DriverSnapshot.objects.filter(period=period, kind=kind, ref_id=ref).aggregate(
        s=Sum("value")
    )["s"]
    return found or Decimal(0)


def _pools(fin: User, period: Period, keys: dict[str, int], rng: random.Random) -> None:
    def pool(name: str, category: str, amount: int, key: str, **refs: Any) -> None:
        actions.create_pool(
            fin,
            period.pk,
            actions.PoolInput(
                name=name,
                category=category,
                amount_ore=int(amount),
                key_id=keys[key],
                source_reference=refs.pop("ref", ""),
                **refs,
            ),
        )

    month = f"{period.month:%Y%m}"
    staff_key = "tickets" if _total(period, "tickets") > 0 else "headcount"
    pool(
        "Servicedesk – personal",
        "support_staff",
        rng.randint(170, 190) * 10_000_00,
        staff_key,
        ref=f"LÖN-{month}",
    )
    pool(
        "Projektkontoret",
        "project_management",
        rng.randint(40, 48) * 10_000_00,
        "even",
        ref=f"LÖN-{month}-PMO",
    )
    pool(
        "Upphandlingsstöd",
        "procurement",
        rng.randint(12, 16) * 10_000_00 + 37,
        "even",
        ref=f"LÖN-{month}-UPH",
    )
    from services.catalogue.models import Supplier

    supplier = Supplier.objects.filter(is_internal=False).order_by("name").first()
    pool(
        "Datacenter och nätverk",
        "infrastructure",
        rng.randint(90, 110) * 10_000_00 + 11,
        "datacentre",
        supplier_id=supplier.pk if supplier else None,
        ref=f"FAKT-{month}-DC",
    )
    from services.licences.models import LicencePool

    for lp in LicencePool.objects.order_by("pk"):
        seats = _total(period, "licence_seats", lp.pk)
        if seats > 0:
            pool(
                f"Licens: {lp.product}",
                "licence",
                int(seats) * lp.seat_monthly_ore,
                "seats",
                licence_pool_id=lp.pk,
                supplier_id=lp.supplier_id,
                ref=f"AVT-{lp.pk}-{month}",
            )
    fees = (
        DriverSnapshot.objects.filter(period=period, kind="subscriptions", ref_id__gt=0)
        .values("ref_id")
        .annotate(total=Sum("value"))
        .order_by("ref_id")
    )
    from services.catalogue.models import Service

    names = dict(Service.objects.values_list("pk", "name"))
    for row in fees:
        if row["total"] > 0:
            pool(
                f"Abonnemang: {names.get(row['ref_id'], row['ref_id'])}",
                "supplier_invoice",
                int(row["total"]),
                "direct",
                service_id=row["ref_id"],
                ref=f"ABB-{month}",
            )
    if _total(period, "visit_minutes") > 0:
        pool(
            "Fältservice",
            "support_staff",
            rng.randint(20, 30) * 10_000_00,
            "visits",
            ref=f"LÖN-{month}-FÄLT",
        )
    from services.projects.models import Project

    for project in Project.objects.filter(shares__isnull=False).distinct().order_by("pk")[:3]:
        if _total(period, "project_shares", project.pk) > 0:
            pool(
                f"Projekt: {project.name}",
                "project",
                rng.randint(5, 25) * 10_000_00,
                "projects",
                project_id=project.pk,
                ref=f"PROJ-{project.pk}-{month}",
            )


def _admins(agencies: Sequence[Agency]) -> dict[int, User]:
    grants = (
        RoleGrant.objects.filter(role=Role.AGENCY_ADMIN, agency__in=agencies)
        .select_related("user")
        .order_by("pk")
    )
    out: dict[int, User] = {}
    for grant in grants:
        if grant.agency_id is not None:  # always: agency grants only
            out.setdefault(grant.agency_id, grant.user)
    return out


def load_costs(agencies: Sequence[Agency]) -> int:
    """A year of the split for `agencies`; returns the periods created (0 if any existed)."""
    if Period.objects.exists() or not agencies:
        return 0
    grant = RoleGrant.objects.filter(role=Role.FINANCE, agency=None).select_related("user").first()
    if grant is None:
        return 0
    fin = grant.user
    months = _months(timezone.localdate())
    first = months[0]
    big = [a.pk for a in agencies if a.slug in BIG] or [agencies[0].pk]
    weights = [(a.pk, "3" if a.pk in big else "1") for a in agencies]
    keys = {
        "even": _key(fin, "Jämn fördelning", first, Method.EVEN),
        "headcount": _key(fin, "Antal anställda", first, Method.DRIVER, "headcount"),
        "tickets": _key(fin, "Antal ärenden", first, Method.DRIVER, "tickets"),
        "seats": _key(fin, "Licensplatser", first, Method.DRIVER, "licence_seats"),
        "direct": _key(fin, "Abonnemang till eget pris", first, Method.DIRECT),
        "visits": _key(fin, "Fältbesök (tid)", first, Method.DRIVER, "visit_minutes"),
        "projects": _key(fin, "Projektandelar", first, Method.DRIVER, "project_shares"),
        "datacentre": _key(fin, "Datacenter", first, Method.FIXED, weights=weights),
    }
    # From the seventh month the data centre is weighted 4:1 for the big three.
    if not KeyVersion.objects.filter(key_id=keys["datacentre"], valid_from=months[6]).exists():
        actions.add_key_version(
            fin,
            keys["datacentre"],
            actions.VersionInput(
                valid_from=months[6],
                method=Method.FIXED,
                weights=[(a.pk, "4" if a.pk in big else "1") for a in agencies],
            ),
        )
    admins = _admins(agencies)
    rng = random.Random("costs-demo")  # noqa: S311 - demo data, not secrets
    corrected = None
    for i, month in enumerate(months):
        period = actions.create_period(fin, month)
        snapshot_all(period.pk)
        _pools(fin, period, keys, rng)
        if i == 8 and corrected is not None:
            actions.book_correction(
                fin,
                corrected.pk,
                -25_000_00,
                "Datacenter: dubbelfakturerad kylning (FAKT-rättelse)",
            )
        run = actions.run_allocation_now(fin, period.pk)
        if run.state != RunState.DONE:
            raise RuntimeError(f"demo cost run for {month:%Y-%m} failed: {run.error}")
        if i == len(months) - 1:
            break  # the current month stays open: a draft until finance publishes it
        actions.publish_statements(fin, period.pk)
        if i == len(months) - 3:  # the last closed month shows an adjusted dispute
            _adjusted_dispute(fin, period, agencies[1:2], admins)
        latest = i == len(months) - 2
        for agency in agencies:
            admin = admins.get(agency.pk)
            if admin is None:
                continue
            if latest and agency.pk == agencies[0].pk:
                line = (
                    AllocationLine.objects.filter(period=period, agency=agency)
                    .order_by("-amount_ore", "pk")
                    .first()
                )
                assert line is not None  # the run gave every agency lines
                actions.dispute_line(
                    admin, agency, line.pk, "Vi har färre användare än fördelningen anger."
                )
                # ...and accepts the rest: "accepted except disputed lines"
                actions.accept_statement(admin, agency, period.pk)
            elif not latest or agency.pk in {a.pk for a in agencies[1:4]}:
                actions.accept_statement(admin, agency, period.pk)
        if not latest:
            actions.close_period(fin, period.pk)
        if i == 6:
            corrected = (
                AllocationLine.objects.filter(period=period, pool__name="Datacenter och nätverk")
                .order_by("-amount_ore", "pk")
                .first()
            )
    return len(months)


def _adjusted_dispute(
    fin: User, period: Period, agencies: Sequence[Agency], admins: dict[int, User]
) -> None:
    """An agency disputes its largest line and finance lowers it by a tenth: the difference
    is re-spread over the pool's other agencies, each change an adjustment with its reason."""
    for agency in agencies:
        admin = admins.get(agency.pk)
        if admin is None:
            continue
        shared = (
            AllocationLine.objects.filter(pool_id=OuterRef("pool_id"), driver_value__gt=0)
            .exclude(agency=agency)
            .values("pk")
        )
        line = (
            AllocationLine.objects.filter(period=period, agency=agency, amount_ore__gt=0)
            .filter(Exists(shared))
            .order_by("-amount_ore", "pk")
            .first()
        )
        if line is None:
            continue
        dispute = actions.dispute_line(
            admin, agency, line.pk, "Vi flyttade ut ur datacentret mitt i månaden."
        )
        actions.resolve_dispute(
            fin,
            dispute.pk,
            "adjust",
            "Halva månaden i datacentret: raden sänks med en tiondel.",
            line.amount_ore - line.amount_ore // 10,
        )
