"""Proactive licence alerts: raised once per condition, mailed to central IT and the agencies.

Conditions (thresholds are settings with the issue's defaults):
- a pool holds more than 90 % of the seats it owns (SAMNAV_LICENCE_FULL_PERCENT). Key:
  `crossing-<n>`, the n-th time the pool went above the threshold. While the pool stays above,
  the open alert covers it; when a run finds it at or below again, the alert is marked cleared
  (`detail.cleared_on`), and the next rise raises `crossing-<n+1>`.
- a renewal within 90 days (SAMNAV_LICENCE_RENEWAL_DAYS). Key: the renewal date, so a new
  renewal date after the agreement is renewed is a new occurrence.
- seats assigned but unused for 60 days in an agency, from the latest usage import of the
  pool (UsageCount). Key: the usage import's id: each new report may raise it again.

LicenceAlert's unique (pool, agency, kind, key) makes a second run, or two runs at once, raise
nothing new. Only agencies that are ACTIVE are alerted. Mails are sent after the run commits
(a rolled-back run sends nothing); they carry counts, never anyone's name or address, and an
agency's mail tells it about its own seats only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.licences.compliance import with_pool_position
from services.licences.models import (
    AgencyQuota,
    AlertKind,
    LicenceAlert,
    LicencePool,
    UsageCount,
    UsageImport,
)
from services.people.interface import admin_addresses, send_after_commit
from tenants.models import Agency, AgencyKind, AgencyState

DEFAULT_CENTRAL_IT_EMAIL = "it-central@samnav.invalid"


def central_it_email() -> str:
    return getattr(settings, "SAMNAV_CENTRAL_IT_EMAIL", DEFAULT_CENTRAL_IT_EMAIL)


def full_percent() -> int:
    return int(getattr(settings, "SAMNAV_LICENCE_FULL_PERCENT", 90))


def renewal_days() -> int:
    return int(getattr(settings, "SAMNAV_LICENCE_RENEWAL_DAYS", 90))


@dataclass
class Raised:
    alert: LicenceAlert
    pool: LicencePool
    agency: Agency | None  # the agency of a per-agency alert
    notify: list[Agency]  # agencies whose admins get a mail


def _raise(
    pool: LicencePool,
    agency: Agency | None,
    kind: AlertKind,
    key: str,
    detail: dict[str, Any],
) -> LicenceAlert | None:
    """Create the alert unless this occurrence exists; None when it does."""
    if LicenceAlert.objects.filter(pool=pool, agency=agency, kind=kind, key=key).exists():
        return None
    try:
        with transaction.atomic():  # a concurrent run may have raised it a moment ago
            return LicenceAlert.objects.create(
                pool=pool, agency=agency, kind=kind, key=key, detail=detail
            )
    except IntegrityError:
        return None


def _crossing(key: str) -> int:
    try:
        return int(key.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


def _pool_alerts(
    pools: list[LicencePool], today: dt.date
) -> list[tuple[LicencePool, LicenceAlert]]:
    raised = []
    latest_full = {
        a.pool_id: a
        for a in LicenceAlert.objects.filter(kind=AlertKind.POOL_NEARLY_FULL, agency=None)
        .order_by("pool_id", "-raised_at", "-id")
        .distinct("pool_id")
    }
    percent = full_percent()
    horizon = today + dt.timedelta(days=renewal_days())
    for pool in pools:
        held, owned = pool._c_held, pool.total_seats  # type: ignore[attr-defined]
        above = held * 100 > owned * percent
        last = latest_full.get(pool.pk)
        is_open = last is not None and not last.detail.get("cleared_on")
        if above and not is_open:
            crossing = _crossing(last.key) + 1 if last else 1
            detail = {"held": held, "owned": owned, "percent": percent}
            alert = _raise(pool, None, AlertKind.POOL_NEARLY_FULL, f"crossing-{crossing}", detail)
            if alert:
                raised.append((pool, alert))
        elif not above and is_open and last is not None:
            last.detail = {**last.detail, "cleared_on": today.isoformat()}
            last.save(update_fields=["detail"])
        if today <= pool.renewal_on <= horizon:
            detail = {"renewal_on": pool.renewal_on.isoformat()}
            alert = _raise(pool, None, AlertKind.RENEWAL_DUE, pool.renewal_on.isoformat(), detail)
            if alert:
                raised.append((pool, alert))
    return raised


def _unused_alerts(
    pools_by_id: dict[int, LicencePool],
) -> list[tuple[LicencePool, Agency, LicenceAlert]]:
    latest = (
        UsageImport.objects.filter(pool_id__in=list(pools_by_id))
        .order_by("pool_id", "-imported_at", "-id")
        .distinct("pool_id")
        .values("pk")
    )
    counts = (
        UsageCount.objects.filter(
            usage_import_id__in=latest,
            assigned_unused_seats__gt=0,
            agency__kind=AgencyKind.AGENCY,
            agency__state=AgencyState.ACTIVE,
        )
        .select_related("agency", "usage_import")
        .order_by("usage_import__pool_id", "agency__name")
    )
    raised = []
    for count in counts:
        pool = pools_by_id[count.usage_import.pool_id]
        detail = {
            "seats": count.assigned_unused_seats,
            "days": count.unused_days,
            "imported_on": timezone.localdate(count.usage_import.imported_at).isoformat(),
        }
        alert = _raise(
            pool, count.agency, AlertKind.SEATS_UNUSED, str(count.usage_import_id), detail
        )
        if alert:
            raised.append((pool, count.agency, alert))
    return raised


def _agencies_in(pool_ids: list[int]) -> dict[int, list[Agency]]:
    """Active member agencies with a share of each pool (a quota, or seats held)."""
    out: dict[int, list[Agency]] = defaultdict(list)
    quotas = (
        AgencyQuota.objects.filter(
            pool_id__in=pool_ids,
            agency__kind=AgencyKind.AGENCY,
            agency__state=AgencyState.ACTIVE,
        )
        .exclude(quota_seats=0, held_seats=0)
        .select_related("agency")
        .order_by("pool_id", "agency__name")
    )
    for quota in quotas:
        out[quota.pool_id].append(quota.agency)
    return out


# --- messages: counts only; an agency hears about its own seats ------------------------------


def _pool_message(pool: LicencePool, alert: LicenceAlert) -> tuple[str, str]:
    if alert.kind == AlertKind.POOL_NEARLY_FULL:
        d = alert.detail
        subject = _("Licence pool %(pool)s is above %(percent)s %% held") % {
            "pool": pool.product,
            "percent": d["percent"],
        }
        body = _(
            "The licence pool %(pool)s holds %(held)s of the %(owned)s seats it owns. "
            "Order more seats or reclaim unused ones before it runs out."
        ) % {"pool": pool.product, "held": d["held"], "owned": d["owned"]}
        return subject, body
    subject = _("Licence agreement %(pool)s is up for renewal on %(date)s") % {
        "pool": pool.product,
        "date": pool.renewal_on.isoformat(),
    }
    body = _(
        "The licence agreement %(pool)s (supplier: %(supplier)s) is up for renewal on "
        "%(date)s. Review the seats needed before then."
    ) % {
        "pool": pool.product,
        "supplier": pool.supplier.name,
        "date": pool.renewal_on.isoformat(),
    }
    return subject, body


def _unused_message(
    pool: LicencePool, agency: Agency, alert: LicenceAlert, *, for_central: bool
) -> tuple[str, str]:
    d = alert.detail
    subject = _("Unused seats of %(pool)s") % {"pool": pool.product}
    values = {
        "agency": agency.name,
        "seats": d["seats"],
        "pool": pool.product,
        "days": d["days"],
        "date": d["imported_on"],
    }
    if for_central:
        body = _(
            "%(agency)s has %(seats)s seat(s) of %(pool)s not used for %(days)s days or more "
            "(usage report of %(date)s): candidates to reclaim."
        )
    else:
        body = _(
            "Your agency has %(seats)s seat(s) of %(pool)s not used for %(days)s days or more "
            "(usage report of %(date)s). Consider releasing them; the list is in your seats."
        )
    return subject, body % values


def _notify(
    pool_raised: list[tuple[LicencePool, LicenceAlert]],
    unused_raised: list[tuple[LicencePool, Agency, LicenceAlert]],
) -> None:
    pool_agencies = _agencies_in([pool.pk for pool, _alert in pool_raised])
    affected = {a.pk: a for agencies in pool_agencies.values() for a in agencies}
    affected.update({agency.pk: agency for _p, agency, _a in unused_raised})
    addresses = admin_addresses(affected.values())
    central = [central_it_email()]
    with translation.override(settings.LANGUAGE_CODE):
        for pool, alert in pool_raised:
            subject, body = _pool_message(pool, alert)
            send_after_commit(subject, body, central)
            for agency in pool_agencies.get(pool.pk, []):
                send_after_commit(subject, body, addresses.get(agency.pk, []), agency=agency)
        for pool, agency, alert in unused_raised:
            subject, body = _unused_message(pool, agency, alert, for_central=True)
            send_after_commit(subject, body, central)
            subject, body = _unused_message(pool, agency, alert, for_central=False)
            send_after_commit(subject, body, addresses.get(agency.pk, []), agency=agency)


def check_licence_alerts(today: dt.date | None = None) -> dict[str, int]:
    """Raise the alerts due today that were not raised before, and mail them after commit.
    Returns how many of each kind were raised."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pools = list(with_pool_position(LicencePool.objects.select_related("supplier")))
        pool_raised = _pool_alerts(pools, today)
        unused_raised = _unused_alerts({pool.pk: pool for pool in pools})
        _notify(pool_raised, unused_raised)
    summary = {kind.value: 0 for kind in AlertKind}
    for _pool, alert in pool_raised:
        summary[alert.kind] += 1
    for _pool, _agency, alert in unused_raised:
        summary[alert.kind] += 1
    return summary
